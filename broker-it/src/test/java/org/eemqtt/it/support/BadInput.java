package org.eemqtt.it.support;

import java.time.Duration;
import java.util.List;

/** Assertions shared by the bad-input tests. */
public final class BadInput {

    /** How long the broker may take to close a connection after bad input. */
    public static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

    private BadInput() {
    }

    /** The broker must close the connection without writing anything (more). */
    public static RawConnection.Closed assertClosedSilently(RawConnection connection, String situation) {
        RawConnection.Closed closed = connection.awaitClose(CLOSE_WITHIN);
        if (closed.bytesBeforeClose().length != 0) {
            throw new AssertionError(situation + ": expected the broker to close without sending anything, but it "
                    + "sent " + Hex.of(closed.bytesBeforeClose()) + " before closing (" + closed.how() + ")");
        }
        return closed;
    }

    /** The broker must write exactly these bytes and then close. */
    public static void assertAnswerThenClose(RawConnection connection, byte[] expected, String situation) {
        RawConnection.Closed closed = connection.awaitClose(CLOSE_WITHIN);
        if (!java.util.Arrays.equals(expected, closed.bytesBeforeClose())) {
            throw new AssertionError(situation + ": expected the broker to send " + Hex.of(expected)
                    + " and close, but it sent " + Hex.of(closed.bytesBeforeClose()) + " before closing ("
                    + closed.how() + ")");
        }
    }

    /** The broker must send one 5.0 DISCONNECT with the reason code and then close. */
    public static void assertDisconnectThenClose(RawConnection connection, int reasonCode, String situation) {
        RawConnection.Closed closed = connection.awaitClose(CLOSE_WITHIN);
        String seen = Hex.of(closed.bytesBeforeClose()) + " before closing (" + closed.how() + ")";
        List<Packet> packets;
        try {
            packets = Packet.parseAll(closed.bytesBeforeClose());
        } catch (AssertionError e) {
            throw new AssertionError(situation + ": expected DISCONNECT with reason 0x"
                    + Integer.toHexString(reasonCode) + ", but the broker sent " + seen);
        }
        if (packets.size() != 1 || packets.get(0).type() != Packet.DISCONNECT
                || packets.get(0).disconnectReason() != reasonCode) {
            throw new AssertionError(situation + ": expected exactly one DISCONNECT with reason 0x"
                    + Integer.toHexString(reasonCode).toUpperCase() + " and then the close, but the broker sent "
                    + seen);
        }
    }

    /** A fresh, well-behaved 3.1.1 client still connects and gets its PINGRESP. */
    public static void assertBrokerStillServes(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("after-bad"), 30)) {
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, Duration.ofSeconds(10));
            c.send(MqttPackets.DISCONNECT);
        }
    }
}
