package org.eemqtt.api.packet;

import java.util.List;

/** UNSUBACK: one reason code per filter (5.0; a 3.x UNSUBACK carries none). */
public record UnsubAckPacket(int packetId, List<UnsubAckReasonCode> reasonCodes, String reasonString)
        implements MqttPacket {

    public UnsubAckPacket {
        reasonCodes = List.copyOf(reasonCodes);
    }
}
