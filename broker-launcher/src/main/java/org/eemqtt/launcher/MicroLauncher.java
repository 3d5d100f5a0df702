package org.eemqtt.launcher;

import org.eemqtt.api.Setting;
import org.eemqtt.api.tls.KeyMaterial;
import org.eemqtt.api.tls.TlsConfig;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Main-Class of the Payara Micro uber-jar. Payara Micro opens HTTPS only when asked ({@code --sslport}) and then
 * with its own keystore; this launcher makes it serve the broker's one key instead: it loads (or on the first start
 * generates) the key material the MQTT TLS listener uses, names it through the {@code javax.net.ssl.keyStore}
 * system properties and {@code --sslcert}, adds {@code --sslport} ({@code mqtt.https.port}) unless the command
 * line has one, and then runs Payara Micro's own main unchanged.
 */
public final class MicroLauncher {

    static final String PAYARA_MAIN = "fish.payara.micro.PayaraMicro";

    private MicroLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        String[] microArgs;
        try {
            microArgs = prepare(args, TlsConfig.from(TlsConfig.systemLookup()));
        } catch (Exception e) {
            System.err.println("EE MQTT: cannot set up the HTTPS key: " + e.getMessage() + " (settings "
                    + Setting.TLS_KEYSTORE.key() + ", " + Setting.TLS_KEYSTORE_PASSWORD.key() + "; "
                    + Setting.HTTPS_PORT.key() + "=-1 switches HTTPS off)");
            System.exit(1);
            return;
        }
        try {
            Class.forName(PAYARA_MAIN).getMethod("main", String[].class).invoke(null, (Object) microArgs);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Loads or generates the key when HTTPS is wanted, sets the key-store properties, returns Micro's arguments. */
    static String[] prepare(String[] args, TlsConfig config) throws Exception {
        boolean sslPortGiven = hasOption(args, "--sslport");
        if (!sslPortGiven && config.httpsPort() < 0) {
            return args;
        }
        KeyMaterial key = KeyMaterial.loadOrGenerate(config);
        System.setProperty("javax.net.ssl.keyStore", key.keystore().toString());
        System.setProperty("javax.net.ssl.keyStorePassword", config.keystorePassword());
        System.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
        List<String> result = new ArrayList<>(List.of(args));
        if (!sslPortGiven) {
            result.add("--sslport");
            result.add(String.valueOf(config.httpsPort()));
        }
        if (!hasOption(args, "--sslcert")) {
            result.add("--sslcert");
            result.add(key.alias());
        }
        String made = key.generatedNow() ? "generated " : "";
        System.out.println("EE MQTT: HTTPS/WSS use the broker's TLS key: " + made + key.describe(config));
        return result.toArray(String[]::new);
    }

    /** Payara Micro's options are case-insensitive ({@code --sslPort} and {@code --sslport}). */
    static boolean hasOption(String[] args, String option) {
        for (String arg : args) {
            if (arg.equalsIgnoreCase(option)) {
                return true;
            }
        }
        return false;
    }
}
