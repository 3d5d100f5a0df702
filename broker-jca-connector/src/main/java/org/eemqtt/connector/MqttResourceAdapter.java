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
        activation.start();
        activations.put(factory, activation);
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
