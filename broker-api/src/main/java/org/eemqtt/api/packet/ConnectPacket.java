package org.eemqtt.api.packet;

import java.util.List;

/**
 * CONNECT. For 3.x clients the 5.0-only fields hold the values that give 3.x semantics: session expiry 0 for a
 * clean session and {@link #SESSION_NEVER_EXPIRES} for a persistent one, receive maximum 65535, no packet limit.
 */
public record ConnectPacket(MqttVersion version, String clientId, boolean cleanStart, int keepAliveSeconds,
                            String username, byte[] password, Will will, long sessionExpiryInterval,
                            int receiveMaximum, long maximumPacketSize, int topicAliasMaximum,
                            boolean requestResponseInformation, boolean requestProblemInformation,
                            List<UserProperty> userProperties, String authenticationMethod,
                            byte[] authenticationData) implements MqttPacket {

    public static final long SESSION_NEVER_EXPIRES = 0xFFFF_FFFFL;
    public static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;
    /** The largest packet MQTT can express (remaining length 268,435,455 plus a 5-byte fixed header). */
    public static final long UNLIMITED_PACKET_SIZE = 268_435_460L;

    public ConnectPacket {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }
}
