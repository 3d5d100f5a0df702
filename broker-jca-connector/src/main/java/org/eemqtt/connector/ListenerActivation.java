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

import java.net.InetSocketAddress;
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
    private Channel serverChannel;

    ListenerActivation(MessageEndpointFactory endpointFactory, ConnectorSettings settings, WorkManager workManager,
                       NettyEventLoops eventLoops) {
        this.endpointFactory = endpointFactory;
        this.settings = settings;
        this.workManager = workManager;
        this.eventLoops = eventLoops;
    }

    void start() throws ResourceException {
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
                        MqttPipeline.install(channel.pipeline(), settings.maxPacketSize());
                        channel.pipeline().addLast("broker", new ConnectionBridge(ListenerActivation.this, "tcp",
                                settings.connectTimeoutSeconds()));
                    }
                });
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.tcpPort());
        try {
            serverChannel = bootstrap.bind(address).sync().channel();
        } catch (Exception e) {
            // Epoll reports "address in use" as its own IOException, not java.net.BindException: name the setting
            // for every bind failure.
            String message = "MQTT listener cannot bind " + address + " (" + e.getMessage() + "): is port "
                    + settings.tcpPort() + " in use? Choose another port with the setting " + Setting.TCP_PORT.key()
                    + " (environment variable MQTT_TCP_PORT) or another address with " + Setting.BIND_ADDRESS.key();
            LOG.severe(message);
            throw new ResourceException(message, e);
        }
        LOG.info(() -> "MQTT listener tcp ready on " + serverChannel.localAddress() + " (maximum packet size "
                + settings.maxPacketSize() + " bytes)");
    }

    void stop() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            LOG.info(() -> "MQTT listener tcp on " + serverChannel.localAddress() + " closed");
        }
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
