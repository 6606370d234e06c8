package io.tlsguard.samples.nettytcnative;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * A legacy Netty 4.1 client on netty-tcnative's BoringSSL: {@code
 * SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1.1")}, an SSLEngine
 * ({@code ReferenceCountedOpenSslEngine}) that handshakes in native code, outside JSSE.
 * Usage: {@code java -jar netty-tcnative-legacy.jar PORT [jdk-alpn]}; sends a tiny HTTP/1.0 request and reads the
 * answer. With {@code jdk-alpn}, the same client on Netty's JDK provider with ALPN, whose engine is Netty's wrapper
 * around the JDK's ({@code JdkAlpnSslEngine}): an engine outside the JDK that handshakes inside JSSE.
 * Prints {@code RESULT OK protocol cipher} or {@code RESULT FAIL ExceptionClass: message}.
 */
public final class LegacyNettyTcnative {
    private LegacyNettyTcnative() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        boolean jdkAlpn = args.length > 1 && args[1].equals("jdk-alpn");
        int code = 1;
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            KeyStore trust = KeyStore.getInstance("JKS");
            try (InputStream in = LegacyNettyTcnative.class.getResourceAsStream("/tlsguard-test.jks")) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            final SslContext ssl = SslContextBuilder.forClient()
                    .sslProvider(jdkAlpn ? SslProvider.JDK : SslProvider.OPENSSL)
                    .applicationProtocolConfig(
                            jdkAlpn
                                    ? new ApplicationProtocolConfig(
                                            ApplicationProtocolConfig.Protocol.ALPN,
                                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                            "http/1.1")
                                    : ApplicationProtocolConfig.DISABLED)
                    .protocols("TLSv1.1")
                    .trustManager(tmf)
                    .build();
            final StringBuilder answer = new StringBuilder();
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc(), "127.0.0.1", port));
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    answer.append(msg.toString(StandardCharsets.US_ASCII));
                                }
                            });
                        }
                    });
            Channel channel = bootstrap.connect("127.0.0.1", port).sync().channel();
            SslHandler handler = channel.pipeline().get(SslHandler.class);
            if (!handler.handshakeFuture().await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("handshake timed out");
            }
            if (!handler.handshakeFuture().isSuccess()) {
                Throwable cause = handler.handshakeFuture().cause();
                throw cause instanceof Exception ? (Exception) cause : new RuntimeException(cause);
            }
            SSLSession session = handler.engine().getSession();
            channel.writeAndFlush(Unpooled.copiedBuffer(
                            "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", StandardCharsets.US_ASCII))
                    .sync();
            if (!channel.closeFuture().await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer");
            }
            if (!answer.toString().startsWith("HTTP/1.") || !answer.toString().contains(" 200 ")) {
                throw new IllegalStateException("unexpected answer: " + answer);
            }
            System.out.println("ENGINE " + handler.engine().getClass().getName());
            System.out.println("RESULT OK " + session.getProtocol() + " " + session.getCipherSuite());
            code = 0;
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.out.flush();
        System.exit(code);
    }
}
