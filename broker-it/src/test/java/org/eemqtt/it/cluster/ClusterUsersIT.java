package org.eemqtt.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.eemqtt.it.rest.Rest;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.ClusterNodes;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MariaDbServer;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users API on a cluster of two real nodes sharing one MariaDB (so the user rows are the same on both): what is
 * asked or changed on node 0 covers the connections and caches of node 1.
 */
class ClusterUsersIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static MariaDbServer db;
    private static ClusterNodes cluster;
    private static Rest admin0;

    @BeforeAll
    static void startCluster() {
        db = MariaDbServer.start();
        cluster = ClusterNodes.start("cusers", db.database().brokerSettings());
        Rest.awaitWeb(cluster.httpPort(0));
        Rest.awaitWeb(cluster.httpPort(1));
        admin0 = Rest.as(cluster.httpPort(0), "admin", BrokerProcess.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static String createUser(String password) {
        String user = "c-" + Ids.suffix();
        admin0.post("/rest/v3/user/" + user, Rest.newUser(password, "user")).expect(201);
        return user;
    }

    private static RawConnection login(RunningBroker node, String clientId, String user, String password) {
        RawConnection connection = RawConnection.open(node);
        connection.send(MqttPackets.connect("MQTT", 5, true, clientId, user, password, 30, true));
        return connection;
    }

    private static int connackCode(RawConnection connection) {
        Packet connack = connection.readPacket(WAIT);
        assertThat(connack.type()).isEqualTo(Packet.CONNACK);
        return connack.connackCode();
    }

    /** A 5.0 SUBACK's first reason code (after the packet id and an empty property block). */
    private static int subackCode(Packet suback) {
        assertThat(suback.type()).isEqualTo(Packet.SUBACK);
        assertThat(suback.body()[2]).as("no SUBACK properties expected").isZero();
        return suback.body()[3] & 0xFF;
    }

    @Test
    void statusOnNodeZeroShowsTheConnectionsOnBothNodes() {
        String user = createUser("status-pass");
        String here = Ids.clientId("on0");
        String there = Ids.clientId("on1");
        try (RawConnection c0 = login(cluster.node(0), here, user, "status-pass")) {
            assertThat(connackCode(c0)).isZero(); // connected before the other one: the older connection
            statusShowsBoth(user, here, there);
        } finally {
            admin0.delete("/rest/v3/user/" + user).expect(200);
        }
    }

    private static void statusShowsBoth(String user, String here, String there) {
        try (RawConnection c1 = login(cluster.node(1), there, user, "status-pass")) {
            assertThat(connackCode(c1)).isZero();

            JsonNode status = admin0.get("/rest/v3/user/" + user + "/status").expect(200).json();
            assertThat(status.path("status").asText()).isEqualTo("online");
            assertThat(status.path("connections").size()).isEqualTo(2);
            JsonNode first = status.path("connections").get(0);
            JsonNode second = status.path("connections").get(1);
            assertThat(first.path("clientId").asText()).as("oldest first").isEqualTo(here);
            assertThat(second.path("clientId").asText()).isEqualTo(there);
            assertThat(second.path("protocol").asText()).isEqualTo("V5");
            assertThat(first.path("node").asText()).isNotBlank()
                    .isNotEqualTo(second.path("node").asText());
            assertThat(cluster.logged(1, second.path("node").asText())).as("node 1 logs its member id").isTrue();

            JsonNode many = admin0.get("/rest/v3/user/status?users=" + user + ",admin").expect(200).json();
            assertThat(many.get(0).path("connections").size()).isEqualTo(2);
            assertThat(many.get(1).path("status").asText()).isEqualTo("offline");

            // node 1 answers the same about node 0's connection
            JsonNode fromOne = Rest.as(cluster.httpPort(1), "admin", BrokerProcess.ADMIN_PASSWORD)
                    .get("/rest/v3/user/" + user + "/status").expect(200).json();
            assertThat(fromOne.path("connections").size()).isEqualTo(2);
        }
    }

    @Test
    void deleteOnNodeZeroClosesTheConnectionOnNodeOneAndItsLoginsFailThere() {
        String user = createUser("delete-pass");
        try (RawConnection c1 = login(cluster.node(1), Ids.clientId("del1"), user, "delete-pass")) {
            assertThat(connackCode(c1)).isZero();
            // a second, remembered login on node 1 (its verified-login cache now holds the password)
            try (RawConnection again = login(cluster.node(1), Ids.clientId("del1b"), user, "delete-pass")) {
                assertThat(connackCode(again)).isZero();
                JsonNode deleted = admin0.delete("/rest/v3/user/" + user).expect(200).json();
                assertThat(deleted.path("closedConnections").asInt()).as("both, on node 1").isEqualTo(2);
            }
            RawConnection.Closed closed = c1.awaitClose(WAIT);
            Packet disconnect = Packet.parseAll(closed.bytesBeforeClose()).get(0);
            assertThat(disconnect.type()).isEqualTo(Packet.DISCONNECT);
            assertThat(disconnect.disconnectReason()).as("administrative action").isEqualTo(0x98);
        }
        try (RawConnection retry = login(cluster.node(1), Ids.clientId("del1c"), user, "delete-pass")) {
            assertThat(connackCode(retry)).as("bad user name or password on node 1").isEqualTo(0x86);
        }
        admin0.get("/rest/v3/user/" + user + "/status").expect(404);
    }

    @Test
    void anAclChangeOnNodeZeroBlocksASubscribeOnNodeOne() {
        String user = createUser("acl-pass-1");
        String other = Ids.topicRoot("cacl");
        try (RawConnection c1 = login(cluster.node(1), Ids.clientId("acl1"), user, "acl-pass-1")) {
            assertThat(connackCode(c1)).isZero();
            c1.send(MqttPackets.subscribe(1, other + "/before", 1, true));
            assertThat(subackCode(c1.readPacket(WAIT))).as("no ACL yet").isEqualTo(1);

            admin0.put("/rest/v3/user/" + user + "/acl",
                    "{\"publish\":[\"users/%u/#\"],\"subscribe\":[\"users/%u/#\"]}").expect(200);

            c1.send(MqttPackets.subscribe(2, other + "/after", 1, true));
            assertThat(subackCode(c1.readPacket(WAIT))).as("not authorized on node 1").isEqualTo(0x87);
            c1.send(MqttPackets.subscribe(3, "users/" + user + "/#", 1, true));
            assertThat(subackCode(c1.readPacket(WAIT))).isEqualTo(1);
        } finally {
            admin0.delete("/rest/v3/user/" + user).expect(200);
        }
    }
}
