package org.eemqtt.it.connect;

import java.time.Duration;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Anonymous login (no user name) is off by default (mqtt.allow.anonymous); RestrictedBrokerIT turns it on. */
@ExtendWith(BrokerExtension.class)
class AnonymousIT {

    @Test
    void mqtt311AnonymousConnectIsRefusedWithNotAuthorized(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQTT", 4, false, Ids.clientId("anon311"), null, null, 30, true));
            c.expectBytes(new byte[] {0x20, 0x02, 0x00, 0x05}, Duration.ofSeconds(10)); // return code 5
            assertThat(c.awaitClose(Duration.ofSeconds(10)).bytesBeforeClose()).isEmpty();
        }
    }

    @Test
    void mqtt5AnonymousConnectIsRefusedWith0x87(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQTT", 5, true, Ids.clientId("anon5"), null, null, 30, true));
            Packet connAck = c.readPacket(Duration.ofSeconds(10));
            assertThat(connAck.type()).isEqualTo(Packet.CONNACK);
            assertThat(connAck.connackCode()).isEqualTo(0x87);
            assertThat(connAck.sessionPresent()).isFalse();
        }
    }
}
