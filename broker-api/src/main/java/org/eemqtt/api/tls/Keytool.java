package org.eemqtt.api.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a self-signed key pair with the JDK's own {@code keytool} (in every JDK and JRE, {@code java.home/bin}),
 * rather than with certificate-encoding code of ours or a cryptography library in the server.
 */
final class Keytool {

    private static final long TIMEOUT_SECONDS = 60;

    private Keytool() {
    }

    /**
     * Writes a new PKCS#12 keystore {@code keystore} (which must not exist) holding one EC P-256 key under
     * {@code alias}, with a self-signed certificate for {@code commonName}: the given subject alternative names
     * (IP literals as IP entries), TLS server and client use, valid from an hour ago (clocks differ) for
     * {@code validityDays}.
     */
    static void generateSelfSigned(Path keystore, String alias, String password, String commonName,
                                   List<String> alternativeNames, int validityDays) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable().toString(), "-genkeypair", "-noprompt",
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + commonName, "-startdate", "-1H", "-validity", String.valueOf(validityDays),
                "-ext", "KU:critical=digitalSignature", "-ext", "EKU=serverAuth,clientAuth",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                // PKCS#12 keeps one password for store and key; given through the environment, not the command line
                "-storepass:env", "MQTT_KEYTOOL_PASSWORD"));
        if (!alternativeNames.isEmpty()) {
            command.addAll(List.of("-ext", "SAN=" + String.join(",", alternativeNames.stream()
                    .map(name -> (isIpLiteral(name) ? "ip:" : "dns:") + name).toList())));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MQTT_KEYTOOL_PASSWORD", password);
        Process process = builder.start();
        process.getOutputStream().close();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while keytool generated " + keystore, e);
        }
        if (process.exitValue() != 0 || !Files.exists(keystore)) {
            throw new IOException("keytool could not generate " + keystore + " (exit " + process.exitValue() + "): "
                    + output);
        }
    }

    private static Path executable() throws IOException {
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        for (String name : List.of("keytool", "keytool.exe")) {
            if (Files.isExecutable(bin.resolve(name))) {
                return bin.resolve(name);
            }
        }
        throw new IOException("No keytool in " + bin + ": configure mqtt.tls.keystore with a PKCS#12 keystore of "
                + "your own, or run the broker on a JDK/JRE that has keytool");
    }

    private static boolean isIpLiteral(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }
}
