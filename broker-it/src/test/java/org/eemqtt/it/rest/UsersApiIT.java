package org.eemqtt.it.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The users REST API over HTTP against the shared broker: every operation, its answers and its errors. */
@ExtendWith(BrokerExtension.class)
class UsersApiIT {

    @BeforeAll
    static void webReady() {
        Rest.awaitWeb(ItSettings.httpPort());
    }

    private final Rest admin = Rest.admin();

    private static String name() {
        return "u-" + Ids.suffix();
    }

    @Test
    void createReadUpdateDeleteNeverShowingThePassword(RunningBroker broker) {
        String user = name();
        Rest.Answer created = admin.post("/rest/v3/user/" + user, Rest.newUser("first-pass", "user")).expect(201);
        assertThat(created.json().path("name").asText()).isEqualTo(user);
        assertThat(created.response().headers().firstValue("Location").orElse("")).endsWith("/rest/v3/user/" + user);

        JsonNode read = admin.get("/rest/v3/user/" + user).expect(200).json();
        assertThat(read.path("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(read.path("created").asText()).isNotBlank();
        assertThat(read.path("aclSet").asBoolean()).isFalse();
        assertThat(read.toString()).doesNotContainIgnoringCase("password").doesNotContain("PBKDF2");

        JsonNode updated = admin.put("/rest/v3/user/" + user, "{\"roles\":[\"user\",\"ops\"]}").expect(200).json();
        assertThat(updated.path("roles").toString()).isEqualTo("[\"ops\",\"user\"]");
        admin.put("/rest/v3/user/" + user, "{\"password\":\"second-pass\"}").expect(200);

        JsonNode deleted = admin.delete("/rest/v3/user/" + user).expect(200).json();
        assertThat(deleted.path("closedConnections").asInt()).isZero();
        admin.get("/rest/v3/user/" + user).expect(404);
        admin.delete("/rest/v3/user/" + user).expect(404);
    }

    @Test
    void listPagesThroughUsersByName(RunningBroker broker) {
        String prefix = "l-" + Ids.suffix() + "-";
        for (String n : List.of("c", "a", "b")) {
            admin.post("/rest/v3/user/" + prefix + n, Rest.newUser("password-1")).expect(201);
        }
        JsonNode all = admin.get("/rest/v3/user/list?size=1000").expect(200).json();
        List<String> names = new ArrayList<>();
        all.path("users").forEach(u -> names.add(u.path("name").asText()));
        assertThat(names).containsSubsequence(prefix + "a", prefix + "b", prefix + "c").contains("admin", "guest");
        assertThat(names).isSorted();
        assertThat(all.path("total").asLong()).isEqualTo(names.size());

        int index = names.indexOf(prefix + "b");
        JsonNode page = admin.get("/rest/v3/user/list?page=" + index + "&size=1").expect(200).json();
        assertThat(page.path("users").get(0).path("name").asText()).isEqualTo(prefix + "b");
        assertThat(page.path("page").asInt()).isEqualTo(index);
        assertThat(page.path("size").asInt()).isEqualTo(1);
        JsonNode defaults = admin.get("/rest/v3/user/list").expect(200).json();
        assertThat(defaults.path("page").asInt()).isZero();
        assertThat(defaults.path("size").asInt()).isEqualTo(50);

        admin.get("/rest/v3/user/list?size=0").expect(400);
        admin.get("/rest/v3/user/list?page=-1").expect(400);
        admin.get("/rest/v3/user/list?size=abc").expect(400);
    }

    @Test
    void badBodiesAndNamesAre400AndAnExistingUser409(RunningBroker broker) {
        String user = name();
        admin.post("/rest/v3/user/" + user, "{\"password\": ").expect(400);
        admin.post("/rest/v3/user/" + user, "[1,2]").expect(400);
        admin.post("/rest/v3/user/" + user, "").expect(400);
        admin.post("/rest/v3/user/" + user, "{\"roles\":[\"user\"]}").expect(400);
        Rest.Answer shortPassword = admin.post("/rest/v3/user/" + user, "{\"password\":\"short\"}").expect(400);
        assertThat(shortPassword.json().path("message").asText()).contains("password");
        admin.post("/rest/v3/user/" + user, "{\"password\":\"password-1\",\"roles\":[\"Bad Role\"]}").expect(400);
        admin.post("/rest/v3/user/list", Rest.newUser("password-1")).expect(400);
        admin.post("/rest/v3/user/status", Rest.newUser("password-1")).expect(400);
        admin.post("/rest/v3/user/bad+name", Rest.newUser("password-1")).expect(400);
        admin.get("/rest/v3/user/" + user).expect(404);

        admin.post("/rest/v3/user/" + user, Rest.newUser("password-1")).expect(201);
        admin.post("/rest/v3/user/" + user, Rest.newUser("password-2")).expect(409);
        admin.put("/rest/v3/user/" + user, "{}").expect(400);
        admin.put("/rest/v3/user/" + user, "{\"password\":\"short\"}").expect(400);
        admin.put("/rest/v3/user/" + name(), "{\"password\":\"password-1\"}").expect(404);
        admin.get("/rest/v3/user/" + name() + "/status").expect(404);
        admin.get("/rest/v3/user/" + name() + "/acl").expect(404);
        admin.put("/rest/v3/user/" + user + "/acl", "{\"publish\":[\"a/#/b\"],\"subscribe\":[]}").expect(400);
        admin.put("/rest/v3/user/" + user + "/acl", "{\"publish\":[]}").expect(400);
        admin.get("/rest/v3/nothing-here").expect(404);
        admin.delete("/rest/v3/user/" + user).expect(200);
    }

    @Test
    void withoutOrWithWrongCredentials401AndWithoutTheAdminRole403(RunningBroker broker) {
        int port = ItSettings.httpPort();
        Rest.Answer none = Rest.anonymous(port).get("/rest/v3/user/list").expect(401);
        assertThat(none.response().headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
        Rest.as(port, "admin", "not-the-password").get("/rest/v3/user/list").expect(401);
        Rest.as(port, "nobody-" + Ids.suffix(), "whatever1").get("/rest/v3/user/list").expect(401);

        String plain = name();
        admin.post("/rest/v3/user/" + plain, Rest.newUser("password-1", "user")).expect(201);
        Rest.as(port, plain, "password-1").get("/rest/v3/user/list").expect(403);
        Rest.as(port, plain, "password-1").delete("/rest/v3/user/admin").expect(403);
        admin.get("/rest/v3/user/admin").expect(200);

        String second = name();
        admin.post("/rest/v3/user/" + second, Rest.newUser("password-1", "admin")).expect(201);
        Rest.as(port, second, "password-1").get("/rest/v3/user/" + plain).expect(200);
        admin.put("/rest/v3/user/" + second, "{\"roles\":[\"user\"]}").expect(200);
        Rest.as(port, second, "password-1").get("/rest/v3/user/" + plain).expect(403);
        admin.delete("/rest/v3/user/" + plain).expect(200);
        admin.delete("/rest/v3/user/" + second).expect(200);
    }

    @Test
    void statusOfSeveralUsers(RunningBroker broker) {
        String a = name();
        String b = name();
        admin.post("/rest/v3/user/" + a, Rest.newUser("password-1")).expect(201);
        admin.post("/rest/v3/user/" + b, Rest.newUser("password-1")).expect(201);
        JsonNode both = admin.get("/rest/v3/user/status?users=" + b + "," + a).expect(200).json();
        assertThat(both.size()).isEqualTo(2);
        assertThat(both.get(0).path("user").asText()).isEqualTo(b);
        assertThat(both.get(0).path("status").asText()).isEqualTo("offline");
        assertThat(both.get(1).path("user").asText()).isEqualTo(a);
        assertThat(both.get(1).path("connections").size()).isZero();
        admin.get("/rest/v3/user/status?users=" + a + ",nobody-" + Ids.suffix()).expect(404);
        admin.get("/rest/v3/user/status").expect(400);
        admin.delete("/rest/v3/user/" + a).expect(200);
        admin.delete("/rest/v3/user/" + b).expect(200);
    }

    @Test
    void aclIsReadWrittenAndRemoved(RunningBroker broker) {
        String user = name();
        admin.post("/rest/v3/user/" + user, Rest.newUser("password-1")).expect(201);
        JsonNode none = admin.get("/rest/v3/user/" + user + "/acl").expect(200).json();
        assertThat(none.path("restricted").asBoolean()).isFalse();

        admin.put("/rest/v3/user/" + user + "/acl",
                "{\"publish\":[\"users/%u/#\"],\"subscribe\":[\"users/%u/#\",\"public/+\"]}").expect(200);
        JsonNode set = admin.get("/rest/v3/user/" + user + "/acl").expect(200).json();
        assertThat(set.path("restricted").asBoolean()).isTrue();
        assertThat(set.path("publish").toString()).isEqualTo("[\"users/%u/#\"]");
        assertThat(set.path("subscribe").toString()).isEqualTo("[\"users/%u/#\",\"public/+\"]");
        assertThat(admin.get("/rest/v3/user/" + user).expect(200).json().path("aclSet").asBoolean()).isTrue();

        JsonNode removed = admin.delete("/rest/v3/user/" + user + "/acl").expect(200).json();
        assertThat(removed.path("restricted").asBoolean()).isFalse();
        admin.delete("/rest/v3/user/" + user).expect(200);
    }
}
