package org.eemqtt.it.will;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.MqttPackets;

/**
 * Raw CONNECT packets that carry a will, for the tests that need a client to die without DISCONNECT (no client
 * library drops its socket on request). Layout: MQTT 3.1.1 / 5.0 section 3.1.
 */
public final class WillPackets {

    private WillPackets() {
    }

    /**
     * 3.1.1 CONNECT with a will, guest/guest. Connect flags: 0x80 user name, 0x40 password, 0x20 will retain,
     * 0x18 will QoS (bits 4-3), 0x04 will flag, 0x02 clean session. Payload: client id, will topic, will message
     * (2-byte length + bytes), user name, password.
     */
    public static byte[] connect311(String clientId, int keepAlive, boolean clean, String willTopic,
                                    String willMessage, int willQos, boolean willRetain) {
        int flags = 0x80 | 0x40 | (willRetain ? 0x20 : 0) | (willQos << 3) | 0x04 | (clean ? 0x02 : 0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(MqttPackets.utf8("MQTT"));
        body.write(4);
        body.write(flags);
        body.writeBytes(MqttPackets.u16(keepAlive));
        body.writeBytes(MqttPackets.utf8(clientId));
        body.writeBytes(MqttPackets.utf8(willTopic));
        body.writeBytes(MqttPackets.utf8(willMessage)); // binary data: same 2-byte length prefix
        body.writeBytes(MqttPackets.utf8(MqttPackets.GUEST));
        body.writeBytes(MqttPackets.utf8(MqttPackets.GUEST));
        return MqttPackets.packet(0x10, body.toByteArray());
    }

    /**
     * 5.0 CONNECT with a will, clean start 0, guest/guest. Properties: 11 = Session Expiry Interval (4 bytes).
     * Will properties (before the will topic): 18 = Will Delay Interval (4 bytes). Will QoS 0, no retain.
     */
    public static byte[] connect5(String clientId, int keepAlive, long sessionExpiry, String willTopic,
                                  String willMessage, long willDelay) {
        int flags = 0x80 | 0x40 | 0x04; // user name, password, will flag; clean start 0
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(MqttPackets.utf8("MQTT"));
        body.write(5);
        body.write(flags);
        body.writeBytes(MqttPackets.u16(keepAlive));
        byte[] properties = Hex.concat(new byte[] {0x11}, u32(sessionExpiry));
        body.writeBytes(MqttPackets.varInt(properties.length));
        body.writeBytes(properties);
        body.writeBytes(MqttPackets.utf8(clientId));
        byte[] willProperties = Hex.concat(new byte[] {0x18}, u32(willDelay));
        body.writeBytes(MqttPackets.varInt(willProperties.length));
        body.writeBytes(willProperties);
        body.writeBytes(MqttPackets.utf8(willTopic));
        body.writeBytes(MqttPackets.utf8(willMessage));
        body.writeBytes(MqttPackets.utf8(MqttPackets.GUEST));
        body.writeBytes(MqttPackets.utf8(MqttPackets.GUEST));
        return MqttPackets.packet(0x10, body.toByteArray());
    }

    /** 5.0 DISCONNECT with a reason code and no properties: E0 01 rc. */
    public static byte[] disconnect5(int reasonCode) {
        return new byte[] {(byte) 0xE0, 0x01, (byte) reasonCode};
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }
}
