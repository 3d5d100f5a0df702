package org.eemqtt.connector;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import org.eemqtt.api.Setting;

import javax.transaction.xa.XAResource;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The MQTT resource adapter: its network listeners are Netty servers, opened when the broker's message-driven bean
 * activates (so that no client gets in before the broker is ready) and closed when it deactivates. Netty's event
 * loops live as long as the adapter and are shut down synchronously in {@link #stop()}, so that no Netty thread
 * outlives the undeployed class loader.
 */
@Connector(displayName = "EE MQTT Server listeners", vendorName = "EE MQTT Server", eisType = "MQTT",
        version = "1.0", transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
public class MqttResourceAdapter implements ResourceAdapter, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(MqttResourceAdapter.class.getName());

    private transient WorkManager workManager;
    private transient NettyEventLoops eventLoops;
    private final transient Map<MessageEndpointFactory, ListenerActivation> activations = new ConcurrentHashMap<>();

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        workManager = context.getWorkManager();
        eventLoops = NettyEventLoops.create();
        LOG.info(() -> "MQTT resource adapter started (Netty " + eventLoops.transportName() + " transport)");
    }

    @Override
    public void stop() {
        activations.values().forEach(ListenerActivation::stop);
        activations.clear();
        if (eventLoops != null) {
            eventLoops.shutdown();
        }
        LOG.info("MQTT resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        ConnectorSettings settings = ConnectorSettings.load();
        ListenerActivation activation = new ListenerActivation(factory, settings, workManager, eventLoops);
        try {
            activation.start();
        } catch (ResourceException e) {
            if (settings.exitOnStartFailure()) {
                exitSoon();
            }
            throw e;
        }
        activations.put(factory, activation);
    }

    /**
     * A Payara Micro process whose listener failed would go on serving nothing; ending it tells the operator (and a
     * service manager) at once. The exit runs on its own thread, after the failed deployment has unwound.
     */
    private static void exitSoon() {
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.severe("Exiting: the MQTT listener could not start (" + Setting.EXIT_ON_START_FAILURE.key() + "=true)");
            System.exit(1);
        }, "mqtt-exit-on-start-failure");
        exit.start();
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        ListenerActivation activation = activations.remove(factory);
        if (activation != null) {
            activation.stop();
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    // One adapter instance per deployment: identity is the right equality.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
