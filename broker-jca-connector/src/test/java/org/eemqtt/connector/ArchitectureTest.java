package org.eemqtt.connector;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.eemqtt.connector.archfixture.LeakyConnectorClass;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The resource adapter knows the broker only through the contract in org.eemqtt.api. */
class ArchitectureTest {

    private static final JavaClasses CONNECTOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.eemqtt.connector");

    static final ArchRule CONNECTOR_KNOWS_ONLY_THE_API = noClasses()
            .that().resideInAPackage("org.eemqtt.connector..")
            .should().dependOnClassesThat().resideInAPackage("org.eemqtt.broker..")
            .because("the transport talks to the broker through MqttConnectionListener and ConnectionHandler only");

    @Test
    void importsTheConnectorButNotItsTests() {
        assertThat(CONNECTOR.contain(MqttResourceAdapter.class)).isTrue();
        assertThat(CONNECTOR.contain(ConnectionBridge.class)).isTrue();
        assertThat(CONNECTOR.contain(ArchitectureTest.class)).isFalse();
        assertThat(CONNECTOR.contain(LeakyConnectorClass.class)).isFalse();
    }

    @Test
    void connectorDependsOnNoBrokerClass() {
        CONNECTOR_KNOWS_ONLY_THE_API.check(CONNECTOR);
    }

    @Test
    void ruleFailsOnABrokerDependency() {
        EvaluationResult result = CONNECTOR_KNOWS_ONLY_THE_API.evaluate(
                new ClassFileImporter().importClasses(LeakyConnectorClass.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails())).contains("org.eemqtt.broker.");
    }
}
