package org.eemqtt.it.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.ItSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** A java.net.http client of the broker's REST API (HTTP Basic), with JSON answers read by Jackson. */
public final class Rest {

    static final String ADMIN = "admin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // no h2c upgrade: plain requests, as curl sends them
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;

    private Rest(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** As the tests' admin, against the shared broker. */
    static Rest admin() {
        return as(ItSettings.httpPort(), ADMIN, BrokerProcess.ADMIN_PASSWORD);
    }

    public static Rest as(int httpPort, String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Rest("http://" + ItSettings.HOST + ":" + httpPort, "Basic " + token);
    }

    static Rest anonymous(int httpPort) {
        return new Rest("http://" + ItSettings.HOST + ":" + httpPort, null);
    }

    /**
     * Waits until the web application answers: the broker reports itself ready on MQTT while Payara may still be
     * deploying the WAR's servlets (a request then gets a bare 500).
     */
    public static void awaitWeb(int httpPort) {
        Rest anonymous = anonymous(httpPort);
        Await.until(Duration.ofSeconds(120), () -> {
            try {
                return anonymous.get("/rest/v3/swagger-ui").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        }, () -> "the web application on port " + httpPort + " did not answer GET /rest/v3/swagger-ui with 200");
    }

    /** An answer: status, body text, the body as JSON (null when it is not JSON). */
    public record Answer(int status, String body, JsonNode json, HttpResponse<String> response) {
        /** Asserts the status, and for errors the API's error shape {code, message}. */
        public Answer expect(int expected) {
            assertThat(status).as("status of %s %s, body %s", response.request().method(), response.uri(), body)
                    .isEqualTo(expected);
            if (expected >= 400) {
                assertThat(response.headers().firstValue("Content-Type").orElse(""))
                        .as("error content type").startsWith("application/json");
                assertThat(json).as("error body %s", body).isNotNull();
                assertThat(json.path("code").asInt()).as("code of %s", body).isEqualTo(expected);
                assertThat(json.path("message").asText()).as("message of %s", body).isNotBlank();
            }
            return this;
        }
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer delete(String path) {
        return send(request(path).DELETE());
    }

    public Answer post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isBlank() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // left null: the assertion on it says so
            }
            return new Answer(response.statusCode(), response.body(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String newUser(String password, String... roles) {
        StringBuilder json = new StringBuilder("{\"password\":\"" + password + "\",\"roles\":[");
        for (int i = 0; i < roles.length; i++) {
            json.append(i > 0 ? "," : "").append('"').append(roles[i]).append('"');
        }
        return json.append("]}").toString();
    }
}
