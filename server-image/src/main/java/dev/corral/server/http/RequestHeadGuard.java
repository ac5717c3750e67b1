package dev.corral.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Two small Netty handlers on each HTTP/1 connection, on either side of Vert.x's request decoder,
 * for what Vert.x leaves open:
 * <ul>
 *   <li>the header timeout for every request, not only the first: the clock starts when a connection
 *       opens, and again at the first byte after a request's end, and stops when the decoder has a
 *       whole head; past it the connection closes (slowloris after a first request);</li>
 *   <li>RFC 9112's head rules Vert.x does not enforce: an HTTP/1.1 request needs exactly one Host
 *       (else 400), and a version other than 1.0 or 1.1 gets 505 rather than Vert.x's 501 in the
 *       client's own version. Such heads are marked failed, so Vert.x hands them to
 *       {@link InvalidRequests}, which answers and closes;</li>
 *   <li>a malformed body (a bad chunk size) answered 400 before the connection closes.</li>
 * </ul>
 * Runs on the connection's event loop only; no locks.
 */
final class RequestHeadGuard {
    /** Marks a head whose HTTP version the server does not speak. */
    static final class UnsupportedVersion extends Exception {
        UnsupportedVersion(String version) {
            super("HTTP version " + version + " is not supported", null, false, false);
        }
    }

    /** Marks an HTTP/1.1 head without exactly one Host header. */
    static final class BadHost extends Exception {
        BadHost(String why) {
            super(why, null, false, false);
        }
    }

    private final long timeoutMillis;
    private ScheduledFuture<?> timer;
    /** The last request's end was decoded: the next byte starts a new head. */
    private boolean betweenRequests;

    private RequestHeadGuard(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Puts the guard around the decoder of an HTTP/1 connection; HTTP/2 connections are left alone. */
    static void install(HttpConnection connection, long headerTimeoutMillis) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        ChannelHandlerContext ctx = base.channelHandlerContext();
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get("httpDecoder") == null) {
            return;
        }
        RequestHeadGuard guard = new RequestHeadGuard(headerTimeoutMillis);
        pipeline.addBefore("httpDecoder", "corral-head-clock", guard.new Clock());
        // After the encoder too, so the check also sees Vert.x's responses as HTTP objects on their way out.
        pipeline.addAfter(pipeline.get("httpEncoder") != null ? "httpEncoder" : "httpDecoder", "corral-head-check", guard.new Check());
        guard.arm(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        betweenRequests = false;
        if (timer == null && timeoutMillis > 0) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                ctx.channel().close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Before the decoder: sees raw bytes, so it knows when a next request's head begins. */
    private final class Clock extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (betweenRequests && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                arm(ctx);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            ctx.fireChannelInactive();
        }
    }

    /**
     * After the decoder: sees whole heads and the ends of bodies coming in, and responses going out. A
     * body the decoder cannot parse (a bad chunk size) makes Vert.x drop the connection without a word;
     * here it is answered 400 first, unless a response is already on its way.
     */
    private final class Check extends ChannelDuplexHandler {
        private boolean answering;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                disarm();
                check(request);
            } else if (msg instanceof HttpContent content && !content.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(content);
                malformedBody(ctx);
                return;
            }
            if (msg instanceof LastHttpContent) {
                betweenRequests = true;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
                answering = true;
            }
            if (msg instanceof LastHttpContent) {
                answering = false;
            }
            ctx.write(msg, promise);
        }

        private void malformedBody(ChannelHandlerContext ctx) {
            disarm();
            if (answering) {
                ctx.close();
                return;
            }
            byte[] text = "400 Bad Request: the request body is malformed\n".getBytes(StandardCharsets.US_ASCII);
            FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.wrappedBuffer(text));
            answer.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, text.length)
                    .set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void check(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        boolean known = version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
        if (!request.decoderResult().isSuccess()) {
            // Answered by InvalidRequests, in HTTP/1.1 (the server's version) rather than whatever the decoder guessed.
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
            return;
        }
        if (!known) {
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
            request.setDecoderResult(DecoderResult.failure(new UnsupportedVersion(version.text())));
            return;
        }
        if (version == HttpVersion.HTTP_1_1) {
            int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
            if (hosts != 1) {
                request.setDecoderResult(DecoderResult.failure(new BadHost(hosts == 0
                        ? "an HTTP/1.1 request needs a Host header" : "a request may carry only one Host header")));
            }
        }
    }
}
