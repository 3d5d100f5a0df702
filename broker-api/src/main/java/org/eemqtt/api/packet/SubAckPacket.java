package org.eemqtt.api.packet;

import java.util.List;

/** SUBACK: one reason code per requested filter, in order. */
public record SubAckPacket(int packetId, List<SubAckReasonCode> reasonCodes, String reasonString)
        implements MqttPacket {

    public SubAckPacket {
        reasonCodes = List.copyOf(reasonCodes);
    }
}
