package org.eemqtt.it.rest;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document at /openapi, read by a real OpenAPI parser. */
@ExtendWith(BrokerExtension.class)
class OpenApiIT {

    @BeforeAll
    static void webReady() {
        Rest.awaitWeb(ItSettings.httpPort());
    }

    private static final String PAYARA_ENDPOINTS_MESSAGE = "attribute endpoints is unexpected";

    @Test
    void theDocumentParsesWithoutMessagesAndDescribesEveryOperationAndError(RunningBroker broker) {
        Rest.Answer answer = Rest.anonymous(ItSettings.httpPort()).get("/openapi");
        assertThat(answer.status()).as("GET /openapi without credentials").isEqualTo(200);

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(answer.body(), null, options);
        // Payara 6 adds a top-level "endpoints" map of its own, which it also needs to serve the document (so an
        // OASFilter cannot remove it); later Payara releases call it "x-endpoints" (payara/Payara#7891). That one
        // message is expected, as long as it is there; any other fails the test.
        assertThat(answer.body()).contains("\nendpoints:");
        assertThat(result.getMessages()).as("parser messages for\n%s", answer.body())
                .containsExactly(PAYARA_ENDPOINTS_MESSAGE);
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getInfo().getTitle()).isEqualTo("EE MQTT Server REST API");
        assertThat(api.getInfo().getVersion()).isEqualTo("3.0.0");
        SecurityScheme basic = api.getComponents().getSecuritySchemes().get("basicAuth");
        assertThat(basic.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(basic.getScheme()).isEqualTo("basic");
        assertThat(api.getSecurity()).isNotEmpty();

        Map<String, Operation> operations = new LinkedHashMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach(
                (method, operation) -> operations.put(method + " " + path, operation)));
        assertThat(operations.keySet()).containsExactlyInAnyOrder(
                "POST /rest/v3/user/{user_name}", "GET /rest/v3/user/{user_name}", "PUT /rest/v3/user/{user_name}",
                "DELETE /rest/v3/user/{user_name}", "GET /rest/v3/user/list", "GET /rest/v3/user/status",
                "GET /rest/v3/user/{user_name}/status", "GET /rest/v3/user/{user_name}/acl",
                "PUT /rest/v3/user/{user_name}/acl", "DELETE /rest/v3/user/{user_name}/acl");
        operations.forEach((name, operation) -> {
            assertThat(operation.getOperationId()).as(name).isNotBlank();
            assertThat(operation.getSummary()).as(name).isNotBlank();
            assertThat(operation.getResponses()).as("responses of %s", name).containsKeys("401", "403", "429");
            operation.getResponses().forEach((code, response) -> {
                assertThat(response.getDescription()).as("%s %s", name, code).isNotBlank();
                if (code.startsWith("4")) {
                    assertThat(response.getContent().get("application/json").getSchema().get$ref())
                            .as("error schema of %s %s", name, code).endsWith("/Error");
                }
            });
        });
        PathItem user = api.getPaths().get("/rest/v3/user/{user_name}");
        assertThat(user.getPost().getResponses()).containsKeys("201", "400", "409");
        assertThat(user.getGet().getResponses()).containsKeys("200", "404");
        assertThat(api.getComponents().getSchemas()).containsKeys("Error", "User", "NewUser", "UserChange",
                "UserPage", "UserStatus", "Connection", "Acl", "Deleted");
        assertThat(api.getComponents().getSchemas().get("User").getProperties()).doesNotContainKey("password");
    }
}
