package org.eemqtt.it.rest;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** An OpenAPI document served by a broker, read by swagger-parser; shared by OpenApiIT and the Payara Server IT. */
public final class OpenApiDocument {

    private OpenApiDocument() {
    }

    /** Parses a document (YAML or JSON), resolving references. */
    static SwaggerParseResult parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(document, null, options);
    }

    /**
     * GETs the document without credentials and asserts that it parses without a single message, Payara 6's
     * top-level "endpoints" map having become the extension "x-endpoints", and that it has the users API.
     */
    public static OpenAPI assertValid(URI uri) {
        String body = get(uri);
        SwaggerParseResult result = parse(body);
        assertThat(body).as("document at %s", uri).doesNotContain("\nendpoints:");
        assertThat(result.getMessages()).as("parser messages for %s\n%s", uri, body).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getExtensions()).as("extensions of %s", uri).containsKey("x-endpoints");
        assertThat(api.getPaths()).as("paths of %s", uri).containsKey("/rest/v3/user/{user_name}");
        return api;
    }

    private static String get(URI uri) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s, body %s", uri, response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
