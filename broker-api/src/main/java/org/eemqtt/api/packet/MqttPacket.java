package org.eemqtt.api.packet;

/**
 * One MQTT control packet in the broker's internal model, the same for MQTT 3.1, 3.1.1 and 5.0: version
 * differences are resolved by the codec at the transport edge (3.x packets simply carry no properties and their
 * reason codes map to the 3.x return codes).
 */
public sealed interface MqttPacket
        permits ConnectPacket, ConnAckPacket, PublishPacket, PubAckPacket, PubRecPacket, PubRelPacket, PubCompPacket,
        SubscribePacket, SubAckPacket, UnsubscribePacket, UnsubAckPacket, PingReqPacket, PingRespPacket,
        DisconnectPacket, AuthPacket {
}
