package org.eemqtt.broker.domain.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The client side of SCRAM-SHA-256 from the clear password, written from RFC 5802 section 3 independently of the
 * server class (only the HMAC/SHA-256 primitives are shared), for tests.
 */
public final class ScramTestClient {

    private final String username;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    public ScramTestClient(String username, String password, String clientNonce) {
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    public byte[] clientFirst() {
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** client-final-message for the server-first-message; remembers the ServerSignature to expect. */
    public byte[] clientFinal(byte[] serverFirstMessage) {
        String serverFirst = new String(serverFirstMessage, StandardCharsets.UTF_8);
        String nonce = null;
        byte[] salt = null;
        int iterations = 0;
        for (String attribute : serverFirst.split(",")) {
            String value = attribute.substring(2);
            switch (attribute.charAt(0)) {
                case 'r' -> nonce = value;
                case 's' -> salt = Base64.getDecoder().decode(value);
                case 'i' -> iterations = Integer.parseInt(value);
                default -> { }
            }
        }
        if (nonce == null || !nonce.startsWith(clientNonce) || salt == null || iterations == 0) {
            throw new IllegalArgumentException("bad server-first-message: " + serverFirst);
        }
        byte[] saltedPassword = hi(password, salt, iterations);
        byte[] clientKey = Scram.hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = Scram.sha256(clientKey);
        String withoutProof = "c=biws,r=" + nonce; // biws = base64("n,,")
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] signature = Scram.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        byte[] serverKey = Scram.hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        expectedServerSignature = Scram.hmac(serverKey, authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** True when the server-final-message proves the server knew the password. */
    public boolean serverFinalValid(byte[] serverFinal) {
        return serverFinal != null && new String(serverFinal, StandardCharsets.UTF_8)
                .equals("v=" + Base64.getEncoder().encodeToString(expectedServerSignature));
    }

    /** Hi(password, salt, i) = PBKDF2-HMAC-SHA256 with a 32-byte output (RFC 5802 section 2.2). */
    public static byte[] hi(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
