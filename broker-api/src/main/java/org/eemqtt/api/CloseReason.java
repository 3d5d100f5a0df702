package org.eemqtt.api;

/** Why a network connection ended, as far as the transport knows. */
public enum CloseReason {
    /** The client closed the connection (after DISCONNECT or not: the broker knows which). */
    PEER_CLOSED,
    /** Nothing arrived within one and a half times the keep-alive. */
    KEEP_ALIVE_TIMEOUT,
    /** The transport could not decode a packet. */
    MALFORMED_PACKET,
    /** A packet was larger than the maximum packet size. */
    PACKET_TOO_LARGE,
    /** The broker closed it through {@link MqttConnection#close}. */
    CLOSED_BY_BROKER,
    /** The listener is shutting down. */
    SERVER_SHUTDOWN,
    /** An I/O error. */
    NETWORK_ERROR
}
