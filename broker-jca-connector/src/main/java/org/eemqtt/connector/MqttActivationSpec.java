package org.eemqtt.connector;

import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ResourceAdapter;
import org.eemqtt.api.MqttConnectionListener;

import java.io.Serializable;

/**
 * Activation of the broker's message-driven bean. It has no properties of its own: the listeners' settings come
 * from MicroProfile Config ({@link org.eemqtt.api.Setting}), the one documented home of configuration.
 */
@Activation(messageListeners = MqttConnectionListener.class)
public class MqttActivationSpec implements ActivationSpec, Serializable {

    private static final long serialVersionUID = 1L;

    private transient ResourceAdapter resourceAdapter;

    @Override
    public void validate() {
        // nothing to validate: see the class comment
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) {
        this.resourceAdapter = resourceAdapter;
    }
}
