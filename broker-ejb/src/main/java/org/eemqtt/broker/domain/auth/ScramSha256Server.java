package org.eemqtt.broker.domain.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802 section 5 with RFC 7677's hash), without channel
 * binding: it answers the client-first-message with the server-first-message and checks the client's proof in the
 * client-final-message. It works from {@link ScramCredentials}, i.e. the stored salted password, never the clear
 * one: StoredKey and ServerKey are derived from SaltedPassword here.
 */
public final class ScramSha256Server {

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    private final ScramClientFirst clientFirst;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final String nonce;
    private final String serverFirst;

    /**
     * @param serverNonce this server's part of the nonce (printable, no ','); appended to the client's
     */
    public ScramSha256Server(ScramClientFirst clientFirst, ScramCredentials credentials, String serverNonce)
            throws ScramException {
        Scram.requirePrintable(serverNonce, "server nonce");
        this.clientFirst = clientFirst;
        byte[] saltedPassword = credentials.saltedPassword();
        this.storedKey = Scram.sha256(Scram.hmac(saltedPassword, CLIENT_KEY));
        this.serverKey = Scram.hmac(saltedPassword, SERVER_KEY);
        this.nonce = clientFirst.nonce() + serverNonce;
        this.serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
                + ",i=" + credentials.iterations();
    }

    public String username() {
        return clientFirst.username();
    }

    /** server-first-message: {@code r=<client+server nonce>,s=<base64 salt>,i=<iterations>}. */
    public byte[] serverFirst() {
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks client-final-message ({@code c=<base64 gs2 header>,r=<nonce>[,ext],p=<base64 proof>}).
     *
     * @return server-final-message ({@code v=<base64 ServerSignature>}) when the proof is right, else empty
     */
    public Optional<byte[]> verify(byte[] clientFinal) throws ScramException {
        if (clientFinal == null) {
            throw new ScramException("no client-final-message");
        }
        String text = new String(clientFinal, StandardCharsets.UTF_8);
        int proofAt = text.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new ScramException("client-final-message without a proof");
        }
        String withoutProof = text.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2) {
            throw new ScramException("client-final-message needs c= and r=");
        }
        String binding = ScramClientFirst.value(attributes[0], 'c');
        String expectedBinding = Base64.getEncoder().encodeToString(
                clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8));
        if (!binding.equals(expectedBinding)) {
            throw new ScramException("channel binding data does not repeat the gs2 header");
        }
        if (!ScramClientFirst.value(attributes[1], 'r').equals(nonce)) {
            throw new ScramException("nonce differs from the server-first-message's");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw new ScramException("proof is not base64");
        }
        byte[] authMessage = (clientFirst.bare() + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = Scram.hmac(storedKey, authMessage);
        if (proof.length != clientSignature.length) {
            return Optional.empty();
        }
        // ClientKey = ClientProof XOR ClientSignature; the proof holds when H(ClientKey) is the StoredKey
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(Scram.sha256(clientKey), storedKey)) {
            return Optional.empty();
        }
        byte[] serverSignature = Scram.hmac(serverKey, authMessage);
        return Optional.of(("v=" + Base64.getEncoder().encodeToString(serverSignature))
                .getBytes(StandardCharsets.UTF_8));
    }
}
