package org.eemqtt.it.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the users API does to MQTT clients of the shared broker: logins, removal, status and ACLs. */
@ExtendWith(BrokerExtension.class)
class UsersMqttIT {

    @BeforeAll
    static void webReady() {
        Rest.awaitWeb(ItSettings.httpPort());
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Rest admin = Rest.admin();

    private String createUser(String password) {
        String user = "m-" + Ids.suffix();
        admin.post("/rest/v3/user/" + user, Rest.newUser(password, "user")).expect(201);
        return user;
    }

    private static MqttConnectOptions options311(String user, String password) {
        MqttConnectOptions options = PahoClients.options(true);
        options.setUserName(user);
        options.setPassword(password.toCharArray());
        return options;
    }

    private static RawConnection raw(RunningBroker broker, boolean v5, String clientId, String user, String password) {
        RawConnection connection = RawConnection.open(broker);
        connection.send(MqttPackets.connect("MQTT", v5 ? 5 : 4, v5, clientId, user, password, 30, true));
        return connection;
    }

    private static int connackCode(RawConnection connection) {
        Packet connack = connection.readPacket(WAIT);
        assertThat(connack.type()).isEqualTo(Packet.CONNACK);
        return connack.connackCode();
    }

    @Test
    void aUserCreatedThroughTheApiLogsInWithPaho311AndHiveMq5AndAChangedPasswordAppliesAtOnce(
            RunningBroker broker) throws Exception {
        String user = createUser("api-pass-1");
        MqttClient paho = PahoClients.create(broker, Ids.clientId("api311"));
        try {
            paho.connect(options311(user, "api-pass-1"));
            assertThat(paho.isConnected()).isTrue();
        } finally {
            PahoClients.closeQuietly(paho);
        }
        Mqtt5BlockingClient hive = HiveClients.client(broker, Ids.clientId("api5"));
        try {
            assertThat(hive.connectWith().simpleAuth().username(user)
                    .password("api-pass-1".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send()
                    .getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        } finally {
            HiveClients.disconnectQuietly(hive);
        }

        admin.put("/rest/v3/user/" + user, "{\"password\":\"api-pass-2\"}").expect(200);
        try (RawConnection old = raw(broker, true, Ids.clientId("old"), user, "api-pass-1")) {
            assertThat(connackCode(old)).as("the old password, remembered before, is refused").isEqualTo(0x86);
        }
        try (RawConnection fresh = raw(broker, true, Ids.clientId("new"), user, "api-pass-2")) {
            assertThat(connackCode(fresh)).isZero();
        }
        admin.delete("/rest/v3/user/" + user).expect(200);
    }

    @Test
    void statusShowsTheConnectionsAndDeleteClosesThemAndLoginsFailAfterwards(RunningBroker broker) throws Exception {
        String user = createUser("del-pass-1");
        String id5 = Ids.clientId("del5");
        String id311 = Ids.clientId("del311");
        RawConnection v5 = raw(broker, true, id5, user, "del-pass-1");
        assertThat(connackCode(v5)).isZero();
        MqttClient paho = PahoClients.create(broker, id311);
        paho.connect(options311(user, "del-pass-1"));
        try {
            JsonNode status = admin.get("/rest/v3/user/" + user + "/status").expect(200).json();
            assertThat(status.path("status").asText()).isEqualTo("online");
            assertThat(status.path("connections").size()).isEqualTo(2);
            assertThat(status.path("connections").get(0).path("clientId").asText()).isEqualTo(id5);
            assertThat(status.path("connections").get(0).path("protocol").asText()).isEqualTo("V5");
            assertThat(status.path("connections").get(0).path("connectedSince").asText()).isNotBlank();
            assertThat(status.path("connections").get(1).path("clientId").asText()).isEqualTo(id311);

            JsonNode deleted = admin.delete("/rest/v3/user/" + user).expect(200).json();
            assertThat(deleted.path("closedConnections").asInt()).isEqualTo(2);

            RawConnection.Closed closed = v5.awaitClose(WAIT);
            Packet disconnect = Packet.parseAll(closed.bytesBeforeClose()).get(0);
            assertThat(disconnect.type()).isEqualTo(Packet.DISCONNECT);
            assertThat(disconnect.disconnectReason()).as("administrative action").isEqualTo(0x98);
            org.eemqtt.it.support.Await.until(WAIT, () -> !paho.isConnected(),
                    () -> "the 3.1.1 client of the removed user is still connected");

            try (RawConnection again = raw(broker, true, Ids.clientId("again"), user, "del-pass-1")) {
                assertThat(connackCode(again)).isEqualTo(0x86);
            }
            MqttClient retry = PahoClients.create(broker, Ids.clientId("again311"));
            assertThatThrownBy(() -> retry.connect(options311(user, "del-pass-1")))
                    .isInstanceOfSatisfying(MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
            PahoClients.closeQuietly(retry);
        } finally {
            v5.close();
            PahoClients.closeQuietly(paho);
        }
    }

    @Test
    void anAclChangeBlocksSubscribeAndPublishOfConnectedClients(RunningBroker broker) throws Exception {
        String user = createUser("acl-pass-1");
        String other = Ids.topicRoot("acl-other");
        String own = "users/" + user;
        try (RawConnection v5 = raw(broker, true, Ids.clientId("acl5"), user, "acl-pass-1");
             RawConnection v311 = raw(broker, false, Ids.clientId("acl311"), user, "acl-pass-1");
             RawConnection watcher = RawConnection.connected311(broker, Ids.clientId("watch"), 30)) {
            assertThat(connackCode(v5)).isZero();
            assertThat(connackCode(v311)).isZero();
            watcher.send(MqttPackets.subscribe(1, other + "/#", 1, false));
            assertThat(subackCode(watcher.readPacket(WAIT), false)).isEqualTo(1);

            // before: no ACL, everything the denied filters leave
            v5.send(MqttPackets.subscribe(1, other + "/before", 1, true));
            assertThat(subackCode(v5.readPacket(WAIT), true)).isEqualTo(1);

            admin.put("/rest/v3/user/" + user + "/acl",
                    "{\"publish\":[\"users/%u/#\"],\"subscribe\":[\"users/%u/#\"]}").expect(200);

            v5.send(MqttPackets.subscribe(2, other + "/after", 1, true));
            assertThat(subackCode(v5.readPacket(WAIT), true)).as("5.0 SUBACK not authorized").isEqualTo(0x87);
            v5.send(MqttPackets.subscribe(3, own + "/#", 1, true));
            assertThat(subackCode(v5.readPacket(WAIT), true)).isEqualTo(1);
            v311.send(MqttPackets.subscribe(1, other + "/after", 1, false));
            assertThat(subackCode(v311.readPacket(WAIT), false)).as("3.1.1 SUBACK failure").isEqualTo(0x80);

            v5.send(MqttPackets.publish(other + "/x", 1, 10, "blocked-5".getBytes(StandardCharsets.UTF_8), true));
            Packet puback = v5.readPacket(WAIT);
            assertThat(puback.type()).isEqualTo(Packet.PUBACK);
            assertThat(pubackReason(puback)).as("5.0 PUBACK not authorized").isEqualTo(0x87);
            v311.send(MqttPackets.publish(other + "/x", 1, 11, "blocked-311".getBytes(StandardCharsets.UTF_8), false));
            assertThat(v311.readPacket(WAIT).type()).as("3.1.1: acknowledged, then dropped").isEqualTo(Packet.PUBACK);
            v311.send(MqttPackets.publish(own + "/x", 0, 0, "allowed".getBytes(StandardCharsets.UTF_8), false));

            // the watcher gets nothing of the blocked publishes; the allowed one reaches the 5.0 subscriber
            Packet delivered = v5.readPacket(WAIT);
            assertThat(delivered.type()).isEqualTo(Packet.PUBLISH);
            assertThat(new String(delivered.raw(), StandardCharsets.UTF_8)).contains("allowed");
            watcher.assertStaysOpenSilently(Duration.ofSeconds(1));
        } finally {
            admin.delete("/rest/v3/user/" + user).expect(200);
        }
    }

    /** The first reason code of a SUBACK (after the packet id and, in 5.0, the properties). */
    static int subackCode(Packet suback, boolean v5) {
        assertThat(suback.type()).isEqualTo(Packet.SUBACK);
        byte[] body = suback.body();
        int index = 2;
        if (v5) {
            int[] length = varInt(body, index);
            index = length[1] + length[0];
        }
        return body[index] & 0xFF;
    }

    /** A 5.0 PUBACK's reason code (absent means 0x00). */
    static int pubackReason(Packet puback) {
        byte[] body = puback.body();
        return body.length > 2 ? body[2] & 0xFF : 0;
    }

    /** {value, index after it} of the variable byte integer at {@code index}. */
    private static int[] varInt(byte[] bytes, int index) {
        int value = 0;
        int shift = 0;
        int i = index;
        while (true) {
            int b = bytes[i++] & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return new int[] {value, i};
            }
            shift += 7;
        }
    }
}
