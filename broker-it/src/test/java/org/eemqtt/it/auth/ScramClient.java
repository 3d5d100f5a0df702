package org.eemqtt.it.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of one SCRAM-SHA-256 exchange (RFC 5802 section 3 / RFC 7677, no channel binding), from the clear
 * password: client-first-message, client-final-message with the proof, and the check of the server's signature.
 */
final class ScramClient {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramClient(String username, String password) {
        this.username = username;
        this.password = password;
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
    }

    /** gs2 header "n,," (no channel binding, no authzid), then n=user,r=nonce. */
    byte[] clientFirst() {
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        expectedServerSignature = null;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** c=biws (base64 of "n,,"), r=the combined nonce, p=ClientKey XOR HMAC(StoredKey, AuthMessage). */
    byte[] clientFinal(byte[] serverFirstMessage) {
        String serverFirst = new String(serverFirstMessage, StandardCharsets.UTF_8);
        String[] attributes = serverFirst.split(",");
        if (attributes.length < 3 || !attributes[0].startsWith("r=" + clientNonce) || !attributes[1].startsWith("s=")
                || !attributes[2].startsWith("i=")) {
            throw new IllegalStateException("Unexpected server-first-message: " + serverFirst);
        }
        String nonce = attributes[0].substring(2);
        byte[] salt = Base64.getDecoder().decode(attributes[1].substring(2));
        int iterations = Integer.parseInt(attributes[2].substring(2));
        byte[] saltedPassword = pbkdf2(password, salt, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key");
        byte[] storedKey = sha256(clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        expectedServerSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** True when server-final-message is v= the ServerSignature this client computed: the server knew the key. */
    boolean serverFinalValid(byte[] serverFinal) {
        return expectedServerSignature != null && serverFinal != null
                && new String(serverFinal, StandardCharsets.UTF_8)
                .equals("v=" + Base64.getEncoder().encodeToString(expectedServerSignature));
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
