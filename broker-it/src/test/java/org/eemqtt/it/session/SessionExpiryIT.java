package org.eemqtt.it.session;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 Session Expiry Interval (3.1.2.11.2, 3.14.2.2.2) and assigned client identifiers (3.2.2.3.7). */
@ExtendWith(BrokerExtension.class)
class SessionExpiryIT {

    private static final long NEVER = 0xFFFF_FFFFL;

    private static Mqtt5ConnAck connect(Mqtt5BlockingClient client, long sessionExpiry) {
        return client.connectWith().simpleAuth().username(MqttPackets.GUEST)
                .password(MqttPackets.GUEST.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .cleanStart(false).sessionExpiryInterval(sessionExpiry).send();
    }

    /** Connects with clean start 0 and tells whether a session was present, then disconnects normally. */
    private static boolean sessionPresentOnReconnect(RunningBroker broker, String id, long sessionExpiry) {
        Mqtt5BlockingClient client = HiveClients.client(broker, id);
        try {
            return connect(client, sessionExpiry).isSessionPresent();
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void expiryZeroEndsTheSessionWithTheConnection(RunningBroker broker) {
        String id = Ids.clientId("se-zero");
        Mqtt5BlockingClient client = HiveClients.client(broker, id);
        assertThat(connect(client, 0).isSessionPresent()).isFalse();
        client.subscribeWith().topicFilter(Ids.topicRoot("se-zero") + "/#").send();
        client.disconnect();
        assertThat(sessionPresentOnReconnect(broker, id, 0)).isFalse();
    }

    @Test
    void finiteExpiryKeepsTheSessionUntilTheIntervalEnds(RunningBroker broker) {
        String id = Ids.clientId("se-two");
        Mqtt5BlockingClient client = HiveClients.client(broker, id);
        connect(client, 2);
        client.subscribeWith().topicFilter(Ids.topicRoot("se-two") + "/#").send();
        client.disconnect();
        assertThat(sessionPresentOnReconnect(broker, id, 2)).isTrue(); // MQTT-3.1.2-23: kept after the close
        Await.sleep(Duration.ofMillis(3500));
        assertThat(sessionPresentOnReconnect(broker, id, 0)).isFalse(); // MQTT-4.1.0-2: discarded once expired
    }

    @Test
    void neverExpiringSessionSurvivesTheConnection(RunningBroker broker) {
        String id = Ids.clientId("se-never");
        Mqtt5BlockingClient client = HiveClients.client(broker, id);
        connect(client, NEVER);
        client.subscribeWith().topicFilter(Ids.topicRoot("se-never") + "/#").send();
        client.disconnect();
        Await.sleep(Duration.ofMillis(500));
        assertThat(sessionPresentOnReconnect(broker, id, 0)).isTrue();
    }

    @Test
    void disconnectCanEndTheSessionAtOnce(RunningBroker broker) {
        String id = Ids.clientId("se-shorten");
        Mqtt5BlockingClient client = HiveClients.client(broker, id);
        connect(client, 3600);
        client.subscribeWith().topicFilter(Ids.topicRoot("se-shorten") + "/#").send();
        client.disconnectWith().sessionExpiryInterval(0).send(); // 3.14.2.2.2: the new interval applies
        assertThat(sessionPresentOnReconnect(broker, id, 0)).isFalse();
    }

    @Test
    void disconnectSettingAnExpiryAfterConnectSetNoneIsAProtocolError(RunningBroker broker) {
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("se-proto"))) { // no Session Expiry: 0
            // DISCONNECT 0x00 with Session Expiry Interval (0x11) = 60: MQTT 5.0 3.14.2.2.2 protocol error
            c.sendQuietly(MqttPackets.packet(0xE0, new byte[] {0x00},
                    Raw5.properties(new byte[] {0x11, 0, 0, 0, 60})));
            BadInput.assertDisconnectThenClose(c, 0x82, "DISCONNECT with a session expiry after CONNECT's 0");
        }
    }

    @Test
    void emptyClientIdWithCleanStartZeroGetsAnAssignedIdentifier(RunningBroker broker) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking(); // no identifier: the server assigns one
        String assigned;
        try {
            Mqtt5ConnAck ack = connect(client, 60);
            assigned = ack.getAssignedClientIdentifier().orElseThrow().toString(); // MQTT-3.2.2-16
            assertThat(assigned).isNotEmpty();
            client.subscribeWith().topicFilter(Ids.topicRoot("se-assigned") + "/#").send();
        } finally {
            HiveClients.disconnectQuietly(client);
        }
        assertThat(sessionPresentOnReconnect(broker, assigned, 0)).isTrue(); // a real, resumable session
    }
}
