package org.eemqtt.api.tls;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Issues X.509 v3 certificates with the JDK alone (its key generator and signature, a small DER encoder), so that
 * the broker can make its own certificate on the first start without a cryptography library in the server, and the
 * tests can make a CA and client certificates the same way. Keys are EC P-256, signatures SHA256withECDSA.
 */
public final class Certificates {

    private static final String EC_SHA256 = "1.2.840.10045.4.3.2";
    private static final String RSA_SHA256 = "1.2.840.113549.1.1.11";

    private Certificates() {
    }

    /** A certificate with its private key; {@code certificate().getSubjectX500Principal()} names it. */
    public record Issued(X509Certificate certificate, PrivateKey privateKey) {
    }

    public static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /**
     * A self-signed server (and client) certificate for {@code commonName}, valid for {@code validity} from an hour
     * ago (clocks differ), with the given subject alternative names: IP literals become iPAddress entries, the rest
     * dNSName.
     */
    public static Issued selfSigned(String commonName, List<String> alternativeNames, Duration validity)
            throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = issue(commonName, keys.getPublic(), alternativeNames, false, validity,
                commonName, keys.getPublic(), keys.getPrivate());
        return new Issued(certificate, keys.getPrivate());
    }

    /** A self-signed certificate authority that may sign end-entity certificates (see {@link #signedBy}). */
    public static Issued certificateAuthority(String commonName, Duration validity) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = issue(commonName, keys.getPublic(), List.of(), true, validity,
                commonName, keys.getPublic(), keys.getPrivate());
        return new Issued(certificate, keys.getPrivate());
    }

    /** An end-entity certificate for {@code commonName} signed by {@code issuer}. */
    public static Issued signedBy(Issued issuer, String commonName, List<String> alternativeNames, Duration validity)
            throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        String issuerName = commonNameOf(issuer.certificate());
        X509Certificate certificate = issue(commonName, keys.getPublic(), alternativeNames, false, validity,
                issuerName, issuer.certificate().getPublicKey(), issuer.privateKey());
        return new Issued(certificate, keys.getPrivate());
    }

    /** The certificate in PEM form, as OpenSSL (mosquitto's {@code --cafile}) reads it. */
    public static String pem(X509Certificate certificate) throws GeneralSecurityException {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded());
        return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    }

    /** The CN of a certificate's subject (the last CN when several), or null when it has none. */
    public static String commonNameOf(X509Certificate certificate) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    private static X509Certificate issue(String subject, PublicKey subjectKey, List<String> alternativeNames,
                                         boolean authority, Duration validity, String issuer, PublicKey issuerKey,
                                         PrivateKey signingKey) throws GeneralSecurityException {
        boolean ec = signingKey instanceof ECKey;
        byte[] algorithm = ec ? Der.sequence(Der.oid(EC_SHA256))
                : Der.sequence(Der.oid(RSA_SHA256), Der.nullValue());
        ZonedDateTime now = ZonedDateTime.now();
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7F; // positive, as RFC 5280 4.1.2.2 requires
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(1, serial)),
                algorithm,
                name(issuer),
                Der.sequence(Der.time(now.minusHours(1)), Der.time(now.plus(validity))),
                name(subject),
                subjectKey.getEncoded(),
                Der.explicit(3, Der.sequence(extensions(subjectKey, issuerKey, alternativeNames, authority))));
        Signature signer = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
        signer.initSign(signingKey);
        signer.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign(), 0));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        certificate.verify(issuerKey); // a broken encoding fails here, not in a client's handshake
        return certificate;
    }

    private static byte[][] extensions(PublicKey subjectKey, PublicKey issuerKey, List<String> alternativeNames,
                                       boolean authority) throws GeneralSecurityException {
        List<byte[]> list = new ArrayList<>();
        if (authority) {
            list.add(extension("2.5.29.19", true, Der.sequence(Der.bool(true))));
            // keyCertSign, cRLSign and digitalSignature: bits 0, 5 and 6
            list.add(extension("2.5.29.15", true, Der.bitString(new byte[] {(byte) 0x86}, 1)));
        } else {
            list.add(extension("2.5.29.19", true, Der.sequence()));
            // digitalSignature and keyEncipherment: bits 0 and 2
            list.add(extension("2.5.29.15", true, Der.bitString(new byte[] {(byte) 0xA0}, 5)));
            // serverAuth and clientAuth
            list.add(extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"),
                    Der.oid("1.3.6.1.5.5.7.3.2"))));
        }
        if (!alternativeNames.isEmpty()) {
            list.add(extension("2.5.29.17", false, Der.sequence(generalNames(alternativeNames))));
        }
        list.add(extension("2.5.29.14", false, Der.octetString(keyId(subjectKey))));
        list.add(extension("2.5.29.35", false, Der.sequence(Der.implicit(0, keyId(issuerKey)))));
        return list.toArray(byte[][]::new);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[][] generalNames(List<String> names) {
        byte[][] encoded = new byte[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            encoded[i] = isIpLiteral(name) ? Der.implicit(7, ipBytes(name))
                    : Der.implicit(2, name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return encoded;
    }

    private static boolean isIpLiteral(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static byte[] ipBytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP address: " + literal, e);
        }
    }

    /** RFC 5280 4.2.1.2 allows any unique key identifier: SHA-1 of the encoded public key. */
    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
    }

    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName))));
    }
}
