package org.eemqtt.it.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts ONE broker (the Payara Micro uber-jar) per test run, shared by all IT classes that use this extension,
 * and resolves {@link RunningBroker} parameters. The broker is kept in the root store and stopped when the run ends.
 * A failed start is remembered, so later classes fail at once with the same message instead of waiting again.
 */
public final class BrokerExtension implements BeforeAllCallback, ParameterResolver {

    /** Seconds the shared broker waits for CONNECT; short, so the no-CONNECT test is quick. */
    public static final int CONNECT_TIMEOUT_SECONDS = 3;
    /** The shared broker's mqtt.denied.filters: nobody may publish or subscribe below it (0x87). */
    public static final String DENIED_FILTER = "it-denied/#";
    /** The shared broker's mqtt.response.information ({@code %c} = client id). */
    public static final String RESPONSE_INFORMATION = "responses/%c";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrokerExtension.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RunningBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static RunningBroker shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class)
                .runningOrFail();
    }

    /** The shared broker, or the reason it could not be started. Closed by JUnit at the end of the run. */
    @SuppressWarnings("deprecation") // CloseableResource: closed by every JUnit 5 version; close() is idempotent
    static final class SharedBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final RunningBroker broker;
        private final String failure;
        private boolean closed;

        private SharedBroker(RunningBroker broker, String failure) {
            this.broker = broker;
            this.failure = failure;
        }

        static SharedBroker start() {
            String host = ItSettings.HOST;
            int port = ItSettings.mqttPort();
            if (BrokerReadiness.portAcceptsConnections(host, port)) {
                return new SharedBroker(null, "Port " + port + " on " + host + " is already in use by another "
                        + "process before the test broker was started; stop it or choose another port with "
                        + "-Dit.mqtt.port=...");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("mqtt.connect.timeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            settings.put("mqtt.denied.filters", DENIED_FILTER);
            settings.put("mqtt.response.information", RESPONSE_INFORMATION);
            if (port != 1883) {
                settings.put("mqtt.tcp.port", String.valueOf(port));
            }
            // TLS and HTTPS with the generated key, which lands in <run folder>/data/tls (see TlsIT)
            settings.put("mqtt.tls.port", String.valueOf(ItSettings.tlsPort()));
            settings.put("mqtt.https.port", String.valueOf(ItSettings.httpsPort()));
            BrokerProcess process = BrokerProcess.start("shared-broker", settings,
                    List.of("--port", String.valueOf(ItSettings.httpPort())));
            try {
                BrokerReadiness.awaitReady(process, host, port, STARTUP_TIMEOUT);
                return new SharedBroker(new RunningBroker(host, port, process), null);
            } catch (AssertionError e) {
                process.close();
                return new SharedBroker(null, e.getMessage());
            }
        }

        RunningBroker runningOrFail() {
            if (failure != null) {
                throw new AssertionError("The shared test broker could not be started: " + failure);
            }
            return broker;
        }

        @Override
        public synchronized void close() {
            if (!closed && broker != null) {
                broker.process().close();
            }
            closed = true;
        }
    }
}
