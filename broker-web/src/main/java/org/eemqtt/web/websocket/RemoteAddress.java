package org.eemqtt.web.websocket;

import jakarta.websocket.Session;

/** The peer's address of a WebSocket session, for logs: Jakarta WebSocket has no API for it. */
final class RemoteAddress {

    private RemoteAddress() {
    }

    /**
     * Tyrus (Payara, GlassFish) offers {@code getRemoteAddr()} on its session; elsewhere the session id must do. Read
     * reflectively so that nothing here depends on one container.
     */
    static String of(Session session) {
        try {
            Object address = session.getClass().getMethod("getRemoteAddr").invoke(session);
            if (address != null) {
                return address.toString();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not Tyrus: fall through
        }
        return "session " + session.getId();
    }
}
