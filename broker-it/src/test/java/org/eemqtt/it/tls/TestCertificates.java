package org.eemqtt.it.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;

/**
 * A certificate authority and client certificates made with the JDK's keytool, independently of the broker's own
 * certificate code: {@code <name>-ca.p12} (the CA's key), {@code <name>-trust.p12} (its certificate only, a
 * truststore for the broker) and {@code <client>.p12} (a client key with its CA-signed chain). Password changeit.
 */
final class TestCertificates {

    private final Path dir;
    private final String ca;

    private TestCertificates(Path dir, String ca) {
        this.dir = dir;
        this.ca = ca;
    }

    static TestCertificates authority(Path dir, String name) {
        TestCertificates certificates = new TestCertificates(dir, name);
        certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + name + " Test CA", "-ext", "bc:c", "-validity", "2", "-keystore", certificates.caStore());
        certificates.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", certificates.caStore(), "-file",
                certificates.file(name + "-ca.pem"));
        certificates.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", certificates.file(name + "-ca.pem"),
                "-keystore", certificates.file(name + "-trust.p12"));
        return certificates;
    }

    /** The truststore that holds this CA's certificate. */
    Path truststore() {
        return dir.resolve(ca + "-trust.p12");
    }

    /** A client key and certificate {@code CN=commonName} signed by this CA, in {@code <commonName>.p12}. */
    Path client(String commonName) {
        String store = file(commonName + ".p12");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + commonName + ", O=EE MQTT tests", "-validity", "2", "-keystore", store);
        keytool("-certreq", "-alias", "client", "-keystore", store, "-file", file(commonName + ".csr"));
        keytool("-gencert", "-alias", "ca", "-keystore", caStore(), "-infile", file(commonName + ".csr"),
                "-outfile", file(commonName + ".crt"), "-rfc", "-validity", "2", "-ext", "eku=clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", file(ca + "-ca.pem"), "-keystore", store);
        keytool("-importcert", "-alias", "client", "-file", file(commonName + ".crt"), "-keystore", store);
        return dir.resolve(commonName + ".p12");
    }

    private String caStore() {
        return file(ca + "-ca.p12");
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ItSettings.javaLauncher().resolveSibling("keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", TlsFiles.PASSWORD));
        ProcessRunner.Result result = ProcessRunner.run(command, dir.toFile().exists() ? dir : null,
                dir.resolve("keytool-logs"), "keytool", Duration.ofSeconds(60));
        if (!result.succeeded()) {
            throw new IllegalStateException("keytool failed:\n" + result.describe());
        }
    }
}
