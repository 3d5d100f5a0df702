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
import org.eemqtt.broker.domain.AclAuthorizer;
import org.eemqtt.broker.domain.DeniedFilters;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.RetainedMessages;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.SubscriptionTree;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;

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
    private LiveUsers liveUsers;

    @PostConstruct
    void start() {
        BrokerSettings settings = BrokerSettings.load();
        Logger.getLogger("org.eemqtt").setLevel(Level.parse(settings.logLevel().toUpperCase()));
        UserSettings userSettings = UserSettings.load();
        userBootstrap.ensureDefaultUsers(userSettings);
        SessionRegistry sessions = new SessionRegistry(settings.maxQueuedMessages(), settings.maxQueuedBytes(),
                settings.maxInFlightMessages(), store);
        RetainedMessages retained = new RetainedMessages();
        MessageRouter router = new MessageRouter(new SubscriptionTree(), retained, sessions, store, cluster);
        ProtocolSettings protocol = settings.protocol();
        AclAuthorizer authorizer = new AclAuthorizer(DeniedFilters.parse(settings.deniedFilters()),
                user -> users.find(user).map(User::acl));
        LoginThrottle throttle = LoginThrottle.of(userSettings);
        Authenticator authenticator = new Authenticator(users, hasher, settings.allowAnonymous(), throttle);
        ClusterUsers clusterUsers = new ClusterUsers(new BrokerUsers(sessions, authenticator, authorizer, throttle,
                cluster.nodeId()), cluster);
        liveUsers = clusterUsers;
        connectFlow = new ConnectFlow(sessions, authenticator, store, router, scheduler, protocol, authorizer);
        // the connect timeout also bounds the wait for an answer to a SCRAM challenge (no keep-alive before CONNACK)
        connectFlow.cluster(cluster);
        EnhancedAuthFlow enhancedAuth = new EnhancedAuthFlow(users, hasher, scheduler,
                settings.connectTimeoutSeconds());
        enhancedAuth.throttle(throttle);
        connectFlow.enhancedAuth(enhancedAuth);
        connectFlow.flows(new BrokerFlows(connectFlow, new PublishFlow(router, store, protocol, authorizer),
                new SubscribeFlow(router, store, protocol, authorizer)));
        // before the first client: the MDB hands connections over only once this singleton is constructed
        SessionMoves moves = new SessionMoves(store, cluster, sessions, router, retained, connectFlow);
        connectFlow.moves(moves);
        moves.start();
        retained.forEach(cluster::offerRetained);
        cluster.start(new ClusterInbound(router, moves, clusterUsers), scheduler);
        LOG.info(() -> "EE MQTT broker ready (" + protocol + ", anonymous "
                + (settings.allowAnonymous() ? "allowed" : "refused") + ")");
    }

    /** The broker's side of user administration (for the users service). */
    public LiveUsers liveUsers() {
        return liveUsers;
    }

    /** A new connection's CONNECT; returns the handler of its later packets. */
    public ConnectionHandler connect(MqttConnection connection, ConnectPacket connect) {
        return connectFlow.connect(connection, connect);
    }
}
