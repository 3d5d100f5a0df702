package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubCompReasonCode;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.Topics;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/** PUBLISH from clients and the QoS 1/2 acknowledgement flows in both directions. */
final class PublishFlow {

    private static final Logger LOG = Logger.getLogger(PublishFlow.class.getName());

    private final MessageRouter router;
    private final SessionStore store;

    PublishFlow(MessageRouter router, SessionStore store) {
        this.router = router;
        this.store = store;
    }

    void onPublish(ClientConnection connection, PublishPacket publish) {
        if (publish.properties().topicAlias() != null) {
            // CONNACK announced no Topic Alias Maximum, so the client may not use aliases (MQTT-3.3.2-9)
            connection.closeWithError(DisconnectReasonCode.TOPIC_ALIAS_INVALID, "topic alias not allowed");
            return;
        }
        if (!Topics.isValidName(publish.topic())) {
            connection.closeWithError(DisconnectReasonCode.TOPIC_NAME_INVALID,
                    "invalid topic name '" + publish.topic() + "' in PUBLISH");
            return;
        }
        ClientSession session = connection.session();
        Message message = new Message(publish.topic(), publish.payload(), publish.qos(), publish.retain(),
                publish.properties().forSubscriber(List.of()), connection.clientId());
        if (publish.qos() != QoS.EXACTLY_ONCE) {
            acknowledgeWhenRouted(connection, publish, router.publish(message));
            return;
        }
        CompletableFuture<Integer> routing = new CompletableFuture<>();
        CompletionStage<Integer> earlier = session.beginInboundExactlyOnce(publish.packetId(), routing);
        if (earlier != null) {
            // A retransmission before PUBREL: acknowledged again once the first copy is stored, not delivered
            // again (MQTT-4.3.3-2, method B).
            acknowledgeWhenRouted(connection, publish, earlier);
            return;
        }
        router.publish(message).whenComplete((reached, failure) -> {
            if (failure == null) {
                routing.complete(reached);
            } else {
                session.release(publish.packetId()); // not stored: the client's retransmission tries afresh
                routing.completeExceptionally(failure);
            }
        });
        acknowledgeWhenRouted(connection, publish, routing);
    }

    /** PUBACK / PUBREC once the message is stored and handed to its subscribers' sessions. */
    private static void acknowledgeWhenRouted(ClientConnection connection, PublishPacket publish,
                                              CompletionStage<Integer> routing) {
        routing.whenComplete((reached, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "Message from client '" + connection.clientId() + "' to "
                        + publish.topic() + " could not be stored; not acknowledged", failure);
                connection.closeWithError(DisconnectReasonCode.UNSPECIFIED_ERROR, "message could not be stored");
                return;
            }
            boolean matched = reached > 0;
            switch (publish.qos()) {
                case AT_LEAST_ONCE -> connection.send(new PubAckPacket(publish.packetId(),
                        matched ? PubAckReasonCode.SUCCESS : PubAckReasonCode.NO_MATCHING_SUBSCRIBERS));
                case EXACTLY_ONCE -> connection.send(new PubRecPacket(publish.packetId(),
                        matched ? PubRecReasonCode.SUCCESS : PubRecReasonCode.NO_MATCHING_SUBSCRIBERS));
                default -> { }
            }
        });
    }

    void onPubRel(ClientConnection connection, PubRelPacket pubRel) {
        String clientId = connection.clientId();
        boolean known = connection.session().release(pubRel.packetId());
        store.releaseReceived(clientId, pubRel.packetId()).thenRun(() -> connection.send(new PubCompPacket(
                pubRel.packetId(), known ? PubCompReasonCode.SUCCESS : PubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND)));
    }

    void onPubRec(ClientConnection connection, PubRecPacket pubRec) {
        boolean known = connection.session().received(pubRec.packetId(), pubRec.reasonCode().isError());
        if (!pubRec.reasonCode().isError()) {
            connection.send(new PubRelPacket(pubRec.packetId(),
                    known ? PubRelReasonCode.SUCCESS : PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
        }
    }
}
