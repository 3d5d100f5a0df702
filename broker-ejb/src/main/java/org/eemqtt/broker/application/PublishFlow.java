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
import org.eemqtt.broker.domain.Authorizer;
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
    private final ProtocolSettings protocol;
    private final Authorizer authorizer;

    PublishFlow(MessageRouter router, SessionStore store, ProtocolSettings protocol, Authorizer authorizer) {
        this.router = router;
        this.store = store;
        this.protocol = protocol;
        this.authorizer = authorizer;
    }

    void onPublish(ClientConnection connection, PublishPacket received) {
        TopicAliases.Resolved topic = connection.topicAliases().resolve(received.topic(),
                received.properties().topicAlias());
        if (topic.error() != null) {
            connection.closeWithError(topic.aliasInvalid() ? DisconnectReasonCode.TOPIC_ALIAS_INVALID
                    : DisconnectReasonCode.PROTOCOL_ERROR, topic.error());
            return;
        }
        PublishPacket publish = topic.topic().equals(received.topic()) ? received : withTopic(received, topic.topic());
        if (!Topics.isValidName(publish.topic())
                || PublishSize.utf8Length(publish.topic()) > protocol.maxTopicLength()) {
            connection.closeWithError(DisconnectReasonCode.TOPIC_NAME_INVALID,
                    "invalid topic name '" + publish.topic() + "' in PUBLISH"); // MQTT-3.3.2-2
            return;
        }
        if (connection.isV5() && publish.qos().value() > protocol.maximumQoS().value()) {
            connection.closeWithError(DisconnectReasonCode.QOS_NOT_SUPPORTED,
                    "PUBLISH QoS " + publish.qos().value() + " above Maximum QoS"); // MQTT-3.2.2-11
            return;
        }
        if (connection.isV5() && publish.retain() && !protocol.retainAvailable()) {
            connection.closeWithError(DisconnectReasonCode.RETAIN_NOT_SUPPORTED,
                    "retained PUBLISH while retain is not available"); // MQTT-3.2.2-14
            return;
        }
        if (publish.qos() != QoS.AT_MOST_ONCE && !isRetransmission(connection, publish)
                && !connection.inboundStarted()) {
            connection.closeWithError(DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more unacknowledged QoS 1/2 PUBLISHes than Receive Maximum " + protocol.receiveMaximum());
            return;
        }
        PubAckReasonCode refusal = refusal(connection, publish);
        if (refusal != null) {
            refuse(connection, publish, refusal);
            return;
        }
        ClientSession session = connection.session();
        Message message = new Message(publish.topic(), publish.payload(),
                QoS.min(publish.qos(), protocol.maximumQoS()), publish.retain() && protocol.retainAvailable(),
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
        // The identifier is stored after the message (one writer, in order): PUBREC waits for both, so that a
        // retransmission after a restart is recognised and not delivered again (MQTT-4.3.3-9).
        router.publish(message).thenCombine(store.inboundReceived(connection.clientId(), publish.packetId()),
                (reached, idStored) -> reached).whenComplete((reached, failure) -> {
            if (failure == null) {
                routing.complete(reached);
            } else {
                session.release(publish.packetId()); // not stored: the client's retransmission tries afresh
                store.releaseReceived(connection.clientId(), publish.packetId());
                routing.completeExceptionally(failure);
            }
        });
        acknowledgeWhenRouted(connection, publish, routing);
    }

    /** A QoS 2 PUBLISH whose packet identifier awaits PUBREL: counted once, when it first arrived. */
    private static boolean isRetransmission(ClientConnection connection, PublishPacket publish) {
        return publish.qos() == QoS.EXACTLY_ONCE && connection.session().awaitsRelease(publish.packetId());
    }

    /** Why the broker will not take this PUBLISH (5.0 PUBACK/PUBREC reason), or null to route it. */
    private PubAckReasonCode refusal(ClientConnection connection, PublishPacket publish) {
        if (publish.qos() == QoS.AT_LEAST_ONCE && connection.session().awaitsRelease(publish.packetId())) {
            return PubAckReasonCode.PACKET_IDENTIFIER_IN_USE; // still held by a QoS 2 flow awaiting PUBREL
        }
        if (!authorizer.mayPublish(connection.clientId(), connection.connectPacket().username(), publish.topic())) {
            LOG.fine(() -> "Client '" + connection.clientId() + "' may not publish to " + publish.topic());
            return PubAckReasonCode.NOT_AUTHORIZED;
        }
        Integer format = publish.properties().payloadFormatIndicator();
        if (format != null && format == 1 && !Utf8.isWellFormed(publish.payload())) {
            return PubAckReasonCode.PAYLOAD_FORMAT_INVALID; // 5.0 3.3.2.3.2: the payload must be UTF-8
        }
        return null;
    }

    /**
     * A PUBLISH the broker does not route. 5.0: PUBACK/PUBREC with the reason (an error PUBREC ends the QoS 2 flow).
     * 3.x cannot tell the client: the message is acknowledged as usual and dropped (3.1.1 4.8.0: the server may
     * discard it), a QoS 2 one then goes through PUBREL/PUBCOMP.
     */
    private static void refuse(ClientConnection connection, PublishPacket publish, PubAckReasonCode reason) {
        boolean v5 = connection.isV5();
        switch (publish.qos()) {
            case AT_LEAST_ONCE -> {
                connection.send(new PubAckPacket(publish.packetId(), v5 ? reason : PubAckReasonCode.SUCCESS));
                connection.inboundFinished();
            }
            case EXACTLY_ONCE -> {
                if (v5) {
                    connection.send(new PubRecPacket(publish.packetId(), PubRecReasonCode.of(reason.code())));
                    connection.inboundFinished();
                } else {
                    connection.session().beginInboundExactlyOnce(publish.packetId(),
                            CompletableFuture.completedFuture(0));
                    connection.send(new PubRecPacket(publish.packetId(), PubRecReasonCode.SUCCESS));
                }
            }
            default -> {
                if (v5 && reason == PubAckReasonCode.PAYLOAD_FORMAT_INVALID) {
                    connection.closeWithError(DisconnectReasonCode.PAYLOAD_FORMAT_INVALID,
                            "PUBLISH payload is not the UTF-8 its Payload Format Indicator claims");
                }
            }
        }
    }

    private static PublishPacket withTopic(PublishPacket p, String topic) {
        return new PublishPacket(topic, p.qos(), p.retain(), p.dup(), p.packetId(), p.payload(), p.properties());
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
                case AT_LEAST_ONCE -> {
                    connection.send(new PubAckPacket(publish.packetId(),
                            matched ? PubAckReasonCode.SUCCESS : PubAckReasonCode.NO_MATCHING_SUBSCRIBERS));
                    connection.inboundFinished();
                }
                case EXACTLY_ONCE -> connection.send(new PubRecPacket(publish.packetId(),
                        matched ? PubRecReasonCode.SUCCESS : PubRecReasonCode.NO_MATCHING_SUBSCRIBERS));
                default -> { }
            }
        });
    }

    void onPubRel(ClientConnection connection, PubRelPacket pubRel) {
        String clientId = connection.clientId();
        boolean known = connection.session().release(pubRel.packetId());
        store.releaseReceived(clientId, pubRel.packetId()).thenRun(() -> {
            connection.send(new PubCompPacket(pubRel.packetId(),
                    known ? PubCompReasonCode.SUCCESS : PubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
            if (known) {
                connection.inboundFinished();
            }
        });
    }

    void onPubRec(ClientConnection connection, PubRecPacket pubRec) {
        boolean failed = pubRec.reasonCode().isError();
        // PUBREL waits for the PUBREC state of a stored copy to be durable (see ClientSession#received)
        connection.session().received(pubRec.packetId(), failed).thenAccept(known -> {
            if (!failed) {
                connection.send(new PubRelPacket(pubRec.packetId(),
                        known ? PubRelReasonCode.SUCCESS : PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
            }
        });
    }
}
