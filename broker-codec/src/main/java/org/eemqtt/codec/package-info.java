/**
 * The MQTT wire edge shared by every transport (TCP/TLS listeners, WebSocket in an EmbeddedChannel).
 *
 * <p>{@link org.eemqtt.codec.MqttPipeline#install} adds, in order: {@link org.eemqtt.codec.MqttFrameDecoder}
 * (framing and raw-byte checks, each whole packet walked by {@code PacketValidator}), Netty's
 * MqttDecoder, Netty's MqttEncoder, {@link org.eemqtt.codec.OutboundPacketHandler}
 * (broker packets to Netty messages) and {@link org.eemqtt.codec.InboundPacketHandler} (Netty messages to broker
 * packets). The transport's own last handler then reads {@link org.eemqtt.api.packet.MqttPacket} and
 * {@link org.eemqtt.codec.MqttViolation} objects and writes {@link org.eemqtt.api.packet.MqttPacket} objects.
 */
package org.eemqtt.codec;
