package org.eemqtt.it.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.util.ArrayList;
import java.util.List;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONNECT/CONNACK with the HiveMQ client (MQTT 5.0). */
@ExtendWith(BrokerExtension.class)
class HiveMqConnectIT {

    /** The broker's default mqtt.max.packet.size: 1 MiB. */
    private static final int DEFAULT_MAX_PACKET_SIZE = 1_048_576;

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @Test
    void successfulConnectIsAcknowledged(RunningBroker broker) {
        Mqtt5BlockingClient client = client(broker, "hive-ok");
        Mqtt5ConnAck connAck = HiveClients.connect(client);
        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(connAck.isSessionPresent()).as("Session Present with Clean Start").isFalse();
        assertThat(client.getState().isConnected()).isTrue();
    }

    @Test
    void connAckAnnouncesTheMaximumPacketSize(RunningBroker broker) {
        Mqtt5ConnAck connAck = HiveClients.connect(client(broker, "hive-maxpkt"));
        // Without the property the client reports the protocol limit 268435460 instead.
        assertThat(connAck.getRestrictions().getMaximumPacketSize())
                .as("Maximum Packet Size property (0x27) of the CONNACK")
                .isEqualTo(DEFAULT_MAX_PACKET_SIZE);
    }

    @Test
    void wrongPasswordIsRejectedWithBadUserNameOrPassword(RunningBroker broker) {
        Mqtt5BlockingClient client = client(broker, "hive-badpw");
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class,
                () -> HiveClients.connect(client, "not-the-password"));
        assertThat(e).as("connect with a wrong password must fail with Mqtt5ConnAckException").isNotNull();
        assertThat(e.getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(client.getState().isConnected()).isFalse();
    }

    @Test
    void unknownUserIsRejectedWithBadUserNameOrPassword(RunningBroker broker) {
        Mqtt5BlockingClient client = client(broker, "hive-nouser");
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class,
                () -> client.connectWith().simpleAuth().username("nobody-" + Ids.suffix())
                        .password("guest".getBytes()).applySimpleAuth().send());
        assertThat(e).as("connect as an unknown user must fail with Mqtt5ConnAckException").isNotNull();
        assertThat(e.getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    private Mqtt5BlockingClient client(RunningBroker broker, String prefix) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId(prefix));
        clients.add(client);
        return client;
    }
}
