package org.eemqtt.broker.application;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.broker.domain.Authorizer;
import org.eemqtt.broker.domain.DeniedFilters;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.RetainedMessages;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.SubscriptionTree;
import org.eemqtt.broker.domain.UserRepository;

import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker: one per application, started with it. Bean-managed concurrency: the container takes no lock, the
 * broker's own structures are concurrent. Transports reach it once per connection, through the message-driven
 * bean; everything after CONNECT is plain calls on the returned handler.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class BrokerService {

    private static final Logger LOG = Logger.getLogger(BrokerService.class.getName());

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    SessionStore store;

    @Inject
    UserBootstrap userBootstrap;

    @Inject
    Cluster cluster;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ConnectFlow connectFlow;

    @PostConstruct
    void start() {
        BrokerSettings settings = BrokerSettings.load();
        Logger.getLogger("org.eemqtt").setLevel(Level.parse(settings.logLevel().toUpperCase()));
        userBootstrap.ensureDefaultUser();
        SessionRegistry sessions = new SessionRegistry(settings.maxQueuedMessages(), settings.maxQueuedBytes(),
                settings.maxInFlightMessages(), store);
        RetainedMessages retained = new RetainedMessages();
        MessageRouter router = new MessageRouter(new SubscriptionTree(), retained, sessions, store, cluster);
        ProtocolSettings protocol = settings.protocol();
        Authorizer authorizer = DeniedFilters.parse(settings.deniedFilters());
        connectFlow = new ConnectFlow(sessions, new Authenticator(users, hasher, settings.allowAnonymous()), store,
                router, scheduler, protocol, authorizer);
        // the connect timeout also bounds the wait for an answer to a SCRAM challenge (no keep-alive before CONNACK)
        connectFlow.cluster(cluster);
        connectFlow.enhancedAuth(new EnhancedAuthFlow(users, hasher, scheduler, settings.connectTimeoutSeconds()));
        connectFlow.flows(new BrokerFlows(connectFlow, new PublishFlow(router, store, protocol, authorizer),
                new SubscribeFlow(router, store, protocol, authorizer)));
        // before the first client: the MDB hands connections over only once this singleton is constructed
        SessionRecovery.restore(store.load(), sessions, router, retained, connectFlow);
        retained.forEach(cluster::offerRetained);
        ConnectFlow connects = connectFlow;
        cluster.start(new Cluster.Inbound() {
            @Override
            public CompletionStage<Integer> deliverForwarded(Message message) {
                return router.publishForwarded(message);
            }

            @Override
            public void takenOverElsewhere(String clientId) {
                connects.takenOverElsewhere(clientId);
            }
        }, scheduler);
        LOG.info(() -> "EE MQTT broker ready (" + protocol + ", anonymous "
                + (settings.allowAnonymous() ? "allowed" : "refused") + ")");
    }

    /** A new connection's CONNECT; returns the handler of its later packets. */
    public ConnectionHandler connect(MqttConnection connection, ConnectPacket connect) {
        return connectFlow.connect(connection, connect);
    }
}
