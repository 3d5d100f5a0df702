package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/**
 * MQTT-4.8.0-2 (3.1.1): a transient error while processing an inbound packet (here: the store cannot take the
 * message) closes the connection that sent it, without acknowledging what was not stored.
 */
class TransientErrorTest {

    /** A store that cannot write messages, as a database that is down. */
    private static final class FailingStore extends VolatileSessionStore {
        @Override
        public CompletionStage<Long> messageAccepted(Message message, Collection<Recipient> recipients) {
            return CompletableFuture.failedFuture(new IllegalStateException("store down"));
        }
    }

    private final TestBroker broker = new TestBroker(new FailingStore());
    private final TestClient subscriber = broker.connect(v311("sub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aMessageThatCannotBeStoredClosesThe311ConnectionUnacknowledged() {
        subscriber.subscribe("t", AT_LEAST_ONCE);
        TestClient c = broker.connect(v311("pub"));
        c.publish("t", "x", AT_LEAST_ONCE);
        assertThat(c.sent(PubAckPacket.class)).isEmpty();
        assertThat(c.transport.closes()).containsExactly(new RecordingConnection.Close(null));
        assertThat(subscriber.publishes()).isEmpty();
    }

    @Test
    void aMessageThatCannotBeStoredClosesTheV5ConnectionWithDisconnect0x80() {
        subscriber.subscribe("t", EXACTLY_ONCE);
        TestClient c = broker.connect(v5("pub5"));
        c.publish("t", "x", EXACTLY_ONCE);
        assertThat(c.sent(PubRecPacket.class)).isEmpty();
        assertThat(c.transport.closes()).hasSize(1);
        DisconnectPacket disconnect = (DisconnectPacket) c.transport.closes().get(0).lastPacket();
        assertThat(disconnect.reasonCode()).isEqualTo(DisconnectReasonCode.UNSPECIFIED_ERROR);
    }
}
