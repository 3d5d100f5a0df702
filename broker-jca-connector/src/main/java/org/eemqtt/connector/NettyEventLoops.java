package org.eemqtt.connector;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The adapter's Netty event loops: native epoll where it loads, NIO elsewhere. */
final class NettyEventLoops {

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> serverChannelType;
    private final String transportName;

    private NettyEventLoops(IoHandlerFactory factory, Class<? extends ServerChannel> serverChannelType,
                            String transportName) {
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mqtt-accept", true), factory);
        this.workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("mqtt-io", true), factory);
        this.serverChannelType = serverChannelType;
        this.transportName = transportName;
    }

    static NettyEventLoops create() {
        if (Epoll.isAvailable()) {
            return new NettyEventLoops(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, "epoll");
        }
        return new NettyEventLoops(NioIoHandler.newFactory(), NioServerSocketChannel.class, "nio");
    }

    EventLoopGroup acceptors() {
        return acceptors;
    }

    EventLoopGroup workers() {
        return workers;
    }

    Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    String transportName() {
        return transportName;
    }

    /** Waits for the loops to end, so that no Netty thread outlives the adapter's class loader. */
    void shutdown() {
        acceptors.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
