package org.eemqtt.it.connect;

import java.util.List;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 Request Problem Information (3.1.2.11.7): Reason Strings only for clients that did not refuse them. */
@ExtendWith(BrokerExtension.class)
class ProblemInformationIT {

    private static final int REQUEST_PROBLEM_INFORMATION = 0x17;
    private static final int REASON_STRING = 0x1F;

    /** Provokes a protocol error (a second CONNECT) and returns the DISCONNECT the broker sent. */
    private static Packet disconnectAfterProtocolError(RunningBroker broker, byte[]... connectProperties) {
        String id = Ids.clientId("problem");
        try (RawConnection c = Raw5.connected(broker, id, connectProperties)) {
            c.sendQuietly(MqttPackets.connect5(id, 30));
            List<Packet> packets = Packet.parseAll(c.awaitClose(BadInput.CLOSE_WITHIN).bytesBeforeClose());
            assertThat(packets).hasSize(1);
            assertThat(packets.get(0).type()).isEqualTo(Packet.DISCONNECT);
            assertThat(packets.get(0).disconnectReason()).isEqualTo(0x82);
            return packets.get(0);
        }
    }

    /** Whether a DISCONNECT's properties (after the reason code and the property length) hold a Reason String. */
    private static boolean hasReasonString(Packet disconnect) {
        byte[] body = disconnect.body();
        return body.length > 2 && (body[2] & 0xFF) == REASON_STRING;
    }

    @Test
    void reasonStringByDefault(RunningBroker broker) {
        assertThat(hasReasonString(disconnectAfterProtocolError(broker))).isTrue();
    }

    @Test
    void noReasonStringWhenTheClientAsksForNone(RunningBroker broker) {
        Packet disconnect = disconnectAfterProtocolError(broker,
                Raw5.byteProperty(REQUEST_PROBLEM_INFORMATION, 0)); // MQTT-3.1.2-29
        assertThat(hasReasonString(disconnect)).isFalse();
    }
}
