package io.affinityagent.it.apps;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A real Netty 4.2 HTTP server as its guide writes one: a boss group of one event loop and a
 * worker group of two, both {@code MultiThreadIoEventLoopGroup} with the NIO transport, whose
 * threads Netty names {@code multiThreadIoEventLoopGroup-N-M}. Listens on 127.0.0.1 only and
 * prints {@code LISTENING <port>}; each response is the handling event loop:
 * {@code <name> <tid> <allowed CPUs>}. Stops on {@code exit} or end of stdin, and by itself after
 * three minutes whatever happens.
 */
public final class NettyLab {

    private NettyLab() {
    }

    public static void main(String[] args) throws Exception {
        ServerLabs.stopAfter(180);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        byte[] body = ServerLabs.whoAmI().getBytes(StandardCharsets.UTF_8);
                                        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
                                        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                                        HttpUtil.setContentLength(response, body.length);
                                        boolean keepAlive = HttpUtil.isKeepAlive(request);
                                        HttpUtil.setKeepAlive(response, keepAlive);
                                        if (keepAlive) {
                                            ctx.writeAndFlush(response);
                                        } else {
                                            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                                        }
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        AgentStarted.await(); // the agent, started beside the application, has placed what runs already
        System.out.println("LISTENING " + ((InetSocketAddress) server.localAddress()).getPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
            // only exit is understood
        }
        server.close().sync();
        boss.shutdownGracefully().sync();
        workers.shutdownGracefully().sync();
        System.out.println("OK exit");
        System.exit(0);
    }
}
