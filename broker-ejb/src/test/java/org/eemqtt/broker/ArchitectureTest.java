package org.eemqtt.broker;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.eemqtt.broker.application.BrokerService;
import org.eemqtt.broker.application.archfixture.LeakyApplicationClass;
import org.eemqtt.broker.domain.Topics;
import org.eemqtt.broker.domain.archfixture.LeakyDomainClass;
import org.eemqtt.broker.infrastructure.JpaStorage;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of the broker: a plain domain, an application layer that knows no storage or transport technology,
 * and no Netty anywhere (the transport lives in the resource adapter). The fixture tests at the end prove that each
 * rule fails when a forbidden dependency exists.
 */
class ArchitectureTest {

    private static final JavaClasses BROKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.eemqtt.broker");

    static final ArchRule DOMAIN_IS_TECHNOLOGY_FREE = noClasses()
            .that().resideInAPackage("org.eemqtt.broker.domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.netty..", "jakarta.persistence..", "jakarta.ejb..", "jakarta.enterprise..",
                    "jakarta.inject..", "com.hazelcast..", "org.eclipse.microprofile..")
            .because("the domain is plain Java that any layer and any test can use");

    static final ArchRule APPLICATION_KNOWS_NO_INFRASTRUCTURE = noClasses()
            .that().resideInAPackage("org.eemqtt.broker.application..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "..infrastructure..", "jakarta.persistence..", "com.hazelcast..", "io.netty..")
            .because("the protocol engine reaches storage only through domain interfaces");

    static final ArchRule NO_NETTY_IN_THE_BROKER = noClasses()
            .that().resideInAPackage("org.eemqtt..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the broker sees connections only through org.eemqtt.api");

    @Test
    void importsTheBrokerButNotItsTests() {
        assertThat(BROKER.contain(Topics.class)).isTrue();
        assertThat(BROKER.contain(BrokerService.class)).isTrue();
        assertThat(BROKER.contain(JpaStorage.class)).isTrue();
        assertThat(BROKER.contain(ArchitectureTest.class)).isFalse();
        assertThat(BROKER.contain(LeakyDomainClass.class)).isFalse();
    }

    @Test
    void domainIsTechnologyFree() {
        DOMAIN_IS_TECHNOLOGY_FREE.check(BROKER);
    }

    @Test
    void applicationKnowsNoInfrastructure() {
        APPLICATION_KNOWS_NO_INFRASTRUCTURE.check(BROKER);
    }

    @Test
    void nothingInTheBrokerDependsOnNetty() {
        NO_NETTY_IN_THE_BROKER.check(BROKER);
    }

    // --- the rules can fail ---

    private static String violations(ArchRule rule, Class<?> fixture) {
        EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(fixture));
        assertThat(result.hasViolation()).as("%s must catch %s", rule, fixture.getSimpleName()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }

    @Test
    void domainRuleFailsOnEachForbiddenDependency() {
        assertThat(violations(DOMAIN_IS_TECHNOLOGY_FREE, LeakyDomainClass.class)).contains(
                "io.netty.", "jakarta.persistence.", "jakarta.ejb.", "jakarta.enterprise.", "jakarta.inject.",
                "com.hazelcast.", "org.eclipse.microprofile.");
    }

    @Test
    void applicationRuleFailsOnEachForbiddenDependency() {
        assertThat(violations(APPLICATION_KNOWS_NO_INFRASTRUCTURE, LeakyApplicationClass.class)).contains(
                "org.eemqtt.broker.infrastructure.", "jakarta.persistence.", "com.hazelcast.", "io.netty.");
    }

    @Test
    void nettyRuleFailsOnANettyDependency() {
        assertThat(violations(NO_NETTY_IN_THE_BROKER, LeakyApplicationClass.class)).contains("io.netty.");
    }
}
