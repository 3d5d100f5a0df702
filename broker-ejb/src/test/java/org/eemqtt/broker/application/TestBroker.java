package org.eemqtt.broker.application;

import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.MqttVersion;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Authorizer;
import org.eemqtt.broker.domain.DeniedFilters;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.RetainedMessages;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.SubscriptionTree;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;
import org.eemqtt.broker.domain.auth.ScramCredentials;
import org.eemqtt.broker.domain.auth.ScramTestClient;
import org.eemqtt.broker.infrastructure.Pbkdf2PasswordHasher;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The protocol engine without a container, wired the way {@code BrokerService.start()} wires it, with in-memory
 * users (alice/secret, bob/hunter2) and a plain-text test hasher; carol/pencil has a real PBKDF2-SHA256 hash, so
 * that she can log in with SCRAM-SHA-256 (enhanced authentication, with a 10 s challenge timeout).
 */
final class TestBroker implements AutoCloseable {

    static final int MAX_PACKET_SIZE = 1_048_576;
    static final String USER = "alice";
    static final String PASSWORD = "secret";
    /** Nobody may publish or subscribe below this filter. */
    static final String DENIED_FILTER = "forbidden/#";

    static final String SCRAM_USER = "carol";
    static final String SCRAM_PASSWORD = "pencil";
    static final int AUTH_TIMEOUT_SECONDS = 10;

    /**
     * Test double: "hashes" by prefixing, so that verification is a string comparison. SCRAM credentials come from
     * real PBKDF2 hashes only (as in production), so the plain users cannot use SCRAM.
     */
    static final class PlainHasher implements PasswordHasher {
        @Override
        public String hash(char[] password) {
            return "plain:" + new String(password);
        }

        @Override
        public boolean verify(char[] password, String hash) {
            return hash.equals(hash(password));
        }

        @Override
        public Optional<ScramCredentials> scramCredentials(String hash) {
            return Pbkdf2PasswordHasher.parseScram(hash);
        }

        /** A hash in Jakarta Security's Pbkdf2PasswordHash format (fewer iterations, for speed). */
        static String pbkdf2(String password, byte[] salt) {
            byte[] key = ScramTestClient.hi(password, salt, 4096);
            return "PBKDF2WithHmacSHA256:4096:" + Base64.getEncoder().encodeToString(salt) + ":"
                    + Base64.getEncoder().encodeToString(key);
        }
    }

    static final class InMemoryUsers implements UserRepository {
        private final Map<String, User> users = new ConcurrentHashMap<>();

        @Override
        public Optional<User> find(String name) {
            return Optional.ofNullable(users.get(name));
        }

        @Override
        public void save(User user) {
            users.put(user.name(), user);
        }

        @Override
        public boolean delete(String name) {
            return users.remove(name) != null;
        }

        @Override
        public List<User> page(int offset, int limit) {
            return users.values().stream().sorted(java.util.Comparator.comparing(User::name))
                    .skip(offset).limit(limit).toList();
        }

        @Override
        public long count() {
            return users.size();
        }
    }

    final SessionStore store;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final ConnectFlow connectFlow;
    final InMemoryUsers users = new InMemoryUsers();
    final PasswordHasher hasher = new PlainHasher();

    TestBroker(SessionStore store) {
        this(store, false, 1000);
    }

    TestBroker(SessionStore store, boolean allowAnonymous, int maxQueued) {
        this(store, allowAnonymous, maxQueued, ProtocolSettings.defaults(MAX_PACKET_SIZE));
    }

    TestBroker(SessionStore store, ProtocolSettings protocol) {
        this(store, false, 1000, protocol);
    }

    TestBroker(SessionStore store, boolean allowAnonymous, int maxQueued, ProtocolSettings protocol) {
        this(store, allowAnonymous, maxQueued, protocol, Cluster.SINGLE_NODE);
    }

    /** One node of a cluster, the other nodes played by {@code cluster}; {@link #inbound} is what they call. */
    TestBroker(SessionStore store, Cluster cluster) {
        this(store, false, 1000, ProtocolSettings.defaults(MAX_PACKET_SIZE), cluster);
    }

    final Cluster.Inbound inbound;
    final SessionRegistry sessions;

    private TestBroker(SessionStore store, boolean allowAnonymous, int maxQueued, ProtocolSettings protocol,
                       Cluster cluster) {
        this.store = store;
        users.save(new User(USER, hasher.hash(PASSWORD.toCharArray()), Set.of("user")));
        users.save(new User("bob", hasher.hash("hunter2".toCharArray()), Set.of("user")));
        users.save(new User(SCRAM_USER, PlainHasher.pbkdf2(SCRAM_PASSWORD, bytes("sixteen byte sal")),
                Set.of("user")));
        SessionRegistry sessions = new SessionRegistry(maxQueued, Long.MAX_VALUE, 65_535, store);
        RetainedMessages retained = new RetainedMessages();
        MessageRouter router = new MessageRouter(new SubscriptionTree(), retained, sessions, store, cluster);
        Authorizer authorizer = DeniedFilters.parse(DENIED_FILTER);
        connectFlow = new ConnectFlow(sessions, new Authenticator(users, hasher, allowAnonymous), store, router,
                scheduler, protocol, authorizer);
        connectFlow.cluster(cluster);
        connectFlow.enhancedAuth(new EnhancedAuthFlow(users, hasher, scheduler, AUTH_TIMEOUT_SECONDS));
        connectFlow.flows(new BrokerFlows(connectFlow, new PublishFlow(router, store, protocol, authorizer),
                new SubscribeFlow(router, store, protocol, authorizer)));
        SessionMoves moves = new SessionMoves(store, cluster, sessions, router, retained, connectFlow);
        connectFlow.moves(moves);
        moves.start(); // as at start
        this.sessions = sessions;
        inbound = new ClusterInbound(router, moves, null);
        cluster.start(inbound, scheduler);
    }

    /** Sends CONNECT over a new recording transport. */
    TestClient connect(ConnectPacket connect) {
        RecordingConnection transport = new RecordingConnection(String.valueOf(connect.clientId()));
        ConnectionHandler handler = connectFlow.connect(transport, connect);
        return new TestClient(transport, handler, connect);
    }

    TestClient connect(Connect builder) {
        return connect(builder.build());
    }

    /** A 5.0 client subscribed to {@code filter}, with what it received so far (the SUBACK) cleared. */
    TestClient subscriber(String clientId, String filter, QoS qos) {
        TestClient s = connect(v5(clientId));
        s.subscribe(filter, qos);
        s.clear();
        return s;
    }

    /** Sends CONNECT over a transport that has verified a client certificate naming {@code certificateUser}. */
    TestClient connectWithCertificate(Connect builder, String certificateUser) {
        ConnectPacket connect = builder.build();
        RecordingConnection transport = new RecordingConnection(String.valueOf(connect.clientId()), certificateUser);
        return new TestClient(transport, connectFlow.connect(transport, connect), connect);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Connect v5(String clientId) {
        return new Connect(MqttVersion.V5, clientId);
    }

    static Connect v311(String clientId) {
        return new Connect(MqttVersion.V3_1_1, clientId);
    }

    static Connect v31(String clientId) {
        return new Connect(MqttVersion.V3_1, clientId);
    }

    /** A CONNECT builder: clean, no expiry, alice/secret, keep-alive 30, default limits. */
    static final class Connect {
        private final MqttVersion version;
        private final String clientId;
        private boolean cleanStart = true;
        private long sessionExpiry;
        private String username = USER;
        private byte[] password = bytes(PASSWORD);
        private int receiveMaximum = ConnectPacket.DEFAULT_RECEIVE_MAXIMUM;
        private long maximumPacketSize = ConnectPacket.UNLIMITED_PACKET_SIZE;
        private int keepAlive = 30;
        private int topicAliasMaximum;
        private boolean requestResponseInformation;
        private Will will;
        private String authenticationMethod;
        private byte[] authenticationData;

        Connect(MqttVersion version, String clientId) {
            this.version = version;
            this.clientId = clientId;
        }

        /** 3.x clean session 0 / 5.0 clean start 0 with a session that never expires. */
        Connect persistent() {
            cleanStart = false;
            sessionExpiry = ConnectPacket.SESSION_NEVER_EXPIRES;
            return this;
        }

        Connect cleanStart(boolean clean) {
            cleanStart = clean;
            return this;
        }

        Connect sessionExpiry(long seconds) {
            sessionExpiry = seconds;
            return this;
        }

        Connect credentials(String user, String pass) {
            username = user;
            password = pass == null ? null : bytes(pass);
            return this;
        }

        Connect receiveMaximum(int max) {
            receiveMaximum = max;
            return this;
        }

        Connect maximumPacketSize(long bytes) {
            maximumPacketSize = bytes;
            return this;
        }

        Connect keepAlive(int seconds) {
            keepAlive = seconds;
            return this;
        }

        Connect topicAliasMaximum(int max) {
            topicAliasMaximum = max;
            return this;
        }

        Connect requestResponseInformation() {
            requestResponseInformation = true;
            return this;
        }

        Connect will(String topic, String payload, QoS qos, boolean retain, long delaySeconds) {
            will = new Will(topic, bytes(payload), qos, retain, delaySeconds, PublishProperties.NONE);
            return this;
        }

        /** A will with its own properties (5.0 3.1.3.2). */
        Connect will(String topic, String payload, QoS qos, boolean retain, PublishProperties properties) {
            will = new Will(topic, bytes(payload), qos, retain, 0, properties);
            return this;
        }

        ConnectPacket build() {
            return new ConnectPacket(version, clientId, cleanStart, keepAlive, username, password, will,
                    sessionExpiry, receiveMaximum, maximumPacketSize, topicAliasMaximum, requestResponseInformation, true,
                    null, authenticationMethod,
                    authenticationData);
        }

        /** 5.0 enhanced authentication: Authentication Method and Data properties. */
        Connect authentication(String method, byte[] data) {
            authenticationMethod = method;
            authenticationData = data;
            return this;
        }
    }
}
