package org.eemqtt.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the artifacts under test and the working folders are. The values come from the failsafe
 * {@code systemPropertyVariables} in broker-it/pom.xml; the defaults only help when a test is started from an IDE
 * with the module folder as working directory.
 */
public final class ItSettings {

    /** Host the tests connect to; the broker binds 0.0.0.0 so the IPv4 loopback reaches it. */
    public static final String HOST = "127.0.0.1";

    private ItSettings() {
    }

    /** The Payara Micro uber-jar built by broker-ear. */
    public static Path brokerJar() {
        return existing("broker.jar", "../broker-ear/target/ee-mqtt-server.jar",
                "the Payara Micro uber-jar (build broker-ear first: mvn -pl broker-ear -am package)");
    }

    /** The EAR built by broker-ear, for Payara Server. */
    public static Path brokerEar() {
        return existing("broker.ear", "../broker-ear/target/broker.ear",
                "the broker EAR (build broker-ear first)");
    }

    /** The glassfish home of the unpacked Payara Server distribution (the folder with bin/asadmin). */
    public static Path payaraServerHome() {
        return existing("payara.server.home", "target/payara-server/payara6",
                "the unpacked Payara Server (maven-dependency-plugin unpack runs in pre-integration-test)");
    }

    /** Folder under target/ in which every started process gets a fresh working folder. */
    public static Path workDir() {
        return Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath().normalize();
    }

    /** MQTT port of the shared broker; 1883 unless -Dit.mqtt.port says otherwise. */
    public static int mqttPort() {
        return Integer.getInteger("it.mqtt.port", 1883);
    }

    /** HTTP port of the shared broker (Payara Micro's --port); 8080 unless -Dit.http.port says otherwise. */
    public static int httpPort() {
        return Integer.getInteger("it.http.port", 8080);
    }

    /** TLS port of the shared broker (mqtt.tls.port); MQTT port + 5 unless -Dit.tls.port says otherwise. */
    public static int tlsPort() {
        return Integer.getInteger("it.tls.port", mqttPort() + 5);
    }

    /** HTTPS port of the shared broker (mqtt.https.port); HTTP port + 5 unless -Dit.https.port says otherwise. */
    public static int httpsPort() {
        return Integer.getInteger("it.https.port", httpPort() + 5);
    }

    /** The java launcher of the JVM running the tests, used to start the broker. */
    public static Path javaLauncher() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    private static Path existing(String property, String fallback, String what) {
        Path path = Paths.get(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException("Missing " + what + ": " + path + " (system property " + property + ")");
        }
        return path;
    }
}
