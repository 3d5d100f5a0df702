package org.eemqtt.broker.application;

import org.eemqtt.api.CloseReason;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubCompReasonCode;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.UnsubscribePacket;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One client's side of a test connection: sends packets to the broker's handler, reads the recorded transport. */
final class TestClient {

    final RecordingConnection transport;
    final ConnectionHandler handler;
    final ConnectPacket connect;
    private int nextPacketId = 1;

    TestClient(RecordingConnection transport, ConnectionHandler handler, ConnectPacket connect) {
        this.transport = transport;
        this.handler = handler;
        this.connect = connect;
    }

    void send(MqttPacket packet) {
        handler.onPacket(packet);
    }

    ConnAckPacket connAck() {
        List<ConnAckPacket> acks = transport.sent(ConnAckPacket.class);
        return acks.isEmpty() ? null : acks.get(0);
    }

    /** SUBSCRIBE to one filter with default options; returns the packet id used. */
    int subscribe(String filter, QoS qos) {
        return subscribe(null, new SubscriptionRequest(filter, qos, false, false, 0));
    }

    int subscribe(Integer identifier, SubscriptionRequest... requests) {
        int id = nextPacketId++;
        send(new SubscribePacket(id, List.of(requests), identifier, null));
        return id;
    }

    int unsubscribe(String... filters) {
        int id = nextPacketId++;
        send(new UnsubscribePacket(id, List.of(filters), null));
        return id;
    }

    /** PUBLISH; QoS 1/2 get a fresh packet id, which is returned (0 for QoS 0). */
    int publish(String topic, String payload, QoS qos) {
        return publish(topic, payload, qos, false);
    }

    int publish(String topic, String payload, QoS qos, boolean retain) {
        int id = qos == QoS.AT_MOST_ONCE ? 0 : nextPacketId++;
        send(publishPacket(topic, payload, qos, retain, false, id));
        return id;
    }

    static PublishPacket publishPacket(String topic, String payload, QoS qos, boolean retain, boolean dup, int id) {
        return new PublishPacket(topic, qos, retain, dup, id, payload.getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE);
    }

    void pubAck(int id) {
        send(new PubAckPacket(id, PubAckReasonCode.SUCCESS));
    }

    void pubRec(int id) {
        send(new PubRecPacket(id, PubRecReasonCode.SUCCESS));
    }

    void pubRel(int id) {
        send(new PubRelPacket(id, PubRelReasonCode.SUCCESS));
    }

    void pubComp(int id) {
        send(new PubCompPacket(id, PubCompReasonCode.SUCCESS));
    }

    /** DISCONNECT, then the transport reports the close, as the real one does. */
    void disconnect(DisconnectReasonCode reason) {
        send(DisconnectPacket.of(reason));
        handler.onClosed(CloseReason.PEER_CLOSED);
    }

    void disconnect() {
        disconnect(DisconnectReasonCode.NORMAL_DISCONNECTION);
    }

    /** The network connection ends without DISCONNECT. */
    void lose() {
        handler.onClosed(CloseReason.NETWORK_ERROR);
    }

    List<PublishPacket> publishes() {
        return transport.publishes();
    }

    List<String> payloads() {
        return publishes().stream().map(p -> new String(p.payload(), StandardCharsets.UTF_8)).toList();
    }

    <T extends MqttPacket> List<T> sent(Class<T> type) {
        return transport.sent(type);
    }

    MqttPacket lastSent() {
        return transport.lastSent();
    }

    void clear() {
        transport.clearSent();
    }
}
