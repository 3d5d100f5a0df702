package org.eemqtt.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Netty plumbing of the generator: one event-loop group (epoll where available) and the channel pipeline. */
final class Transport implements AutoCloseable {

    private static final int MAX_PACKET = 16 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final boolean epoll;

    Transport(int threads) {
        epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
        if (epoll) {
            // bind(127.0.0.x, 0) picks the port at connect(), per 4-tuple: ports in TIME_WAIT from an earlier
            // idle run on the same source address do not make bind() fail
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    boolean epoll() {
        return epoll;
    }

    EventLoopGroup group() {
        return group;
    }

    /** Opens a TCP connection whose pipeline ends in the handler made by {@code handler}. */
    ChannelFuture connect(InetSocketAddress remote, InetSocketAddress local, Supplier<BenchConnection> handler) {
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("decoder", new MqttDecoder(MAX_PACKET));
                ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
                ch.pipeline().addLast("bench", handler.get());
            }
        });
        return local == null ? b.connect(remote) : b.connect(remote, local);
    }

    /**
     * {@code -Dbench.persistent=true}: every client connects with a persistent session (3.1.1 clean session 0, 5.0
     * clean start 0 and a session expiry of one hour), to measure the cost of the durable store.
     */
    static final boolean PERSISTENT = Boolean.getBoolean("bench.persistent");

    static MqttConnectMessage connectMessage(String clientId, boolean mqtt5, String user, String password,
                                             int keepAlive) {
        MqttMessageBuilders.ConnectBuilder b = MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(mqtt5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)
                .cleanSession(!PERSISTENT)
                .keepAlive(keepAlive);
        if (user != null && !user.isEmpty()) {
            b.hasUser(true).username(user);
            if (password != null) {
                b.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (mqtt5) {
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 65535));
            if (PERSISTENT) {
                props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 3600));
            }
            b.properties(props);
        }
        return b.build();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }
}
