package org.eemqtt.connector;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import org.eemqtt.api.Setting;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.codec.MqttPipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * One endpoint activation: the listeners that feed one message endpoint factory (the broker's message-driven bean).
 * Bound in {@code endpointActivation}, closed in {@code endpointDeactivation}.
 */
final class ListenerActivation {

    private static final Logger LOG = Logger.getLogger(ListenerActivation.class.getName());
    /** Bytes waiting to be written to one client above which it counts as slow (see ConnectionBridge.send). */
    static final int WRITE_BUFFER_HIGH_WATER_MARK = 4 << 20;

    private final MessageEndpointFactory endpointFactory;
    private final ConnectorSettings settings;
    private final WorkManager workManager;
    private final NettyEventLoops eventLoops;
    private final ChannelGroup channels = new DefaultChannelGroup("mqtt-connections", GlobalEventExecutor.INSTANCE);
    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();

    ListenerActivation(MessageEndpointFactory endpointFactory, ConnectorSettings settings, WorkManager workManager,
                       NettyEventLoops eventLoops) {
        this.endpointFactory = endpointFactory;
        this.settings = settings;
        this.workManager = workManager;
        this.eventLoops = eventLoops;
    }

    void start() throws ResourceException {
        bind("tcp", settings.tcpPort(), null, Setting.TCP_PORT);
        if (settings.tls().enabled()) {
            TlsServerContext tls;
            try {
                tls = TlsServerContext.create(settings.tls());
            } catch (IOException | GeneralSecurityException e) {
                String message = "MQTT listener tls cannot start: " + e.getMessage() + " (settings "
                        + Setting.TLS_KEYSTORE.key() + ", " + Setting.TLS_KEYSTORE_PASSWORD.key() + ", "
                        + Setting.TLS_TRUSTSTORE.key() + "; " + Setting.TLS_PORT.key() + "=-1 switches TLS off)";
                LOG.severe(message);
                stop();
                throw new ResourceException(message, e);
            }
            bind("tls", settings.tls().port(), tls, Setting.TLS_PORT);
        }
    }

    /** Binds one listener; on failure closes what this activation bound before and names the setting. */
    private void bind(String name, int port, TlsServerContext tls, Setting portSetting) throws ResourceException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(eventLoops.acceptors(), eventLoops.workers())
                .channel(eventLoops.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_BUFFER_HIGH_WATER_MARK / 2, WRITE_BUFFER_HIGH_WATER_MARK))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channels.add(channel);
                        if (tls != null) {
                            channel.pipeline().addLast("tls", tls.context().newHandler(channel.alloc()));
                            channel.pipeline().addLast("tls-guard", new TlsHandshakeGuard());
                        }
                        MqttPipeline.install(channel.pipeline(), settings.maxPacketSize());
                        channel.pipeline().addLast("broker", new ConnectionBridge(ListenerActivation.this, name,
                                settings.connectTimeoutSeconds(), tls != null && settings.tls().cnAsUsername()));
                    }
                });
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), port);
        Channel bound;
        try {
            bound = bootstrap.bind(address).sync().channel();
        } catch (Exception e) {
            // Epoll reports "address in use" as its own IOException, not java.net.BindException: name the setting
            // for every bind failure.
            String message = "MQTT listener " + name + " cannot bind " + address + " (" + e.getMessage()
                    + "): is port " + port + " in use? Choose another port with the setting " + portSetting.key()
                    + " (environment variable " + portSetting.key().toUpperCase(Locale.ROOT).replace('.', '_')
                    + ") or another address with " + Setting.BIND_ADDRESS.key();
            LOG.severe(message);
            stop();
            throw new ResourceException(message, e);
        }
        serverChannels.add(bound);
        String details = tls == null ? "" : "; " + tls.description();
        LOG.info(() -> "MQTT listener " + name + " ready on " + bound.localAddress() + " (maximum packet size "
                + settings.maxPacketSize() + " bytes" + details + ")");
    }

    void stop() {
        for (Channel serverChannel : serverChannels) {
            serverChannel.close().syncUninterruptibly();
            LOG.info(() -> "MQTT listener on " + serverChannel.localAddress() + " closed");
        }
        serverChannels.clear();
        channels.close().syncUninterruptibly();
    }

    /** Hands a CONNECT to the broker on a work manager thread: one message endpoint call per connection. */
    void connect(ConnectionBridge bridge, ConnectPacket connect) {
        try {
            workManager.scheduleWork(new ConnectWork(endpointFactory, bridge, connect));
        } catch (WorkException e) {
            bridge.connectFailed(e);
        }
    }
}
