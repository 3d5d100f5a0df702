package org.eemqtt.broker.domain.auth;

import java.nio.charset.StandardCharsets;

/**
 * A parsed client-first-message (RFC 5802 section 7): {@code gs2-header client-first-message-bare}, where the
 * header is {@code n,,} (no channel binding) or {@code y,,} (the client could bind, but thinks we cannot).
 *
 * @param gs2Header the header as sent, echoed by the client in its final message ({@code c=})
 * @param username  the user name, with RFC 5802's {@code =2C} / {@code =3D} escapes decoded
 * @param nonce     the client's nonce
 * @param bare      client-first-message-bare, part of the AuthMessage that both proofs sign
 */
public record ScramClientFirst(String gs2Header, String username, String nonce, String bare) {

    public static ScramClientFirst parse(byte[] message) throws ScramException {
        if (message == null || message.length == 0) {
            throw new ScramException("no client-first-message");
        }
        String text = new String(message, StandardCharsets.UTF_8);
        int first = text.indexOf(',');
        int second = first < 0 ? -1 : text.indexOf(',', first + 1);
        if (second < 0) {
            throw new ScramException("client-first-message without a gs2 header");
        }
        String cbind = text.substring(0, first);
        if (cbind.startsWith("p=")) {
            throw new ScramException("channel binding is not supported");
        }
        if (!cbind.equals("n") && !cbind.equals("y")) {
            throw new ScramException("bad gs2 channel binding flag");
        }
        if (second != first + 1) {
            throw new ScramException("authorization identities are not supported");
        }
        String bare = text.substring(second + 1);
        String[] attributes = bare.split(",", -1);
        if (attributes.length < 2 || attributes[0].startsWith("m=")) {
            throw new ScramException(attributes[0].startsWith("m=") ? "mandatory extension not supported"
                    : "client-first-message-bare needs n= and r=");
        }
        String username = decodeName(value(attributes[0], 'n'));
        String nonce = value(attributes[1], 'r');
        Scram.requirePrintable(nonce, "client nonce");
        return new ScramClientFirst(text.substring(0, second + 1), username, nonce, bare);
    }

    static String value(String attribute, char name) throws ScramException {
        if (attribute.length() < 2 || attribute.charAt(0) != name || attribute.charAt(1) != '=') {
            throw new ScramException("expected attribute " + name + "=");
        }
        return attribute.substring(2);
    }

    /** saslname (RFC 5802 section 5.1): ',' travels as "=2C" and '=' as "=3D"; any other '=' is an error. */
    private static String decodeName(String saslName) throws ScramException {
        if (saslName.isEmpty()) {
            throw new ScramException("empty user name");
        }
        StringBuilder name = new StringBuilder(saslName.length());
        for (int i = 0; i < saslName.length(); i++) {
            char c = saslName.charAt(i);
            if (c != '=') {
                name.append(c);
            } else if (saslName.startsWith("=2C", i)) {
                name.append(',');
                i += 2;
            } else if (saslName.startsWith("=3D", i)) {
                name.append('=');
                i += 2;
            } else {
                throw new ScramException("bad '=' escape in the user name");
            }
        }
        return name.toString();
    }
}
