package org.eemqtt.web.websocket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.Setting;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.broker.application.BrokerService;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What every WebSocket session shares: the broker (reached at the same entry point the resource adapter's
 * message-driven bean calls), a timer for the CONNECT timeout and keep-alive, and the listener settings that the
 * TCP listener uses too (maximum packet size, connect timeout).
 */
@ApplicationScoped
public class WebSocketTransport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());

    @EJB
    BrokerService broker;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private int maxPacketSize;
    private int connectTimeoutSeconds;

    @PostConstruct
    void load() {
        Config config = ConfigProvider.getConfig(WebSocketTransport.class.getClassLoader());
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        maxPacketSize = Setting.MAX_PACKET_SIZE.intValue(lookup);
        connectTimeoutSeconds = Setting.CONNECT_TIMEOUT.intValue(lookup);
        LOG.info(() -> "MQTT listener ws ready at /mqtt (maximum packet size " + maxPacketSize + " bytes)");
    }

    /** Created with the application, not at the first WebSocket client: settings errors show at deployment. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // observing the event is enough to construct the bean (and run load())
    }

    ConnectionHandler connect(MqttConnection connection, ConnectPacket connect) {
        return broker.connect(connection, connect);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    int maxPacketSize() {
        return maxPacketSize;
    }

    int connectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }
}
