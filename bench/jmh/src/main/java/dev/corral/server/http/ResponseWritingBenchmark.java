package dev.corral.server.http;

import dev.corral.server.wsgi.ResponseHead;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Java side of writing a WSGI response, up to what Vert.x encodes: the packed status line and
 * headers from the driver parsed, copied into the response's headers next to the server's Date and
 * Server, Content-Length set, and the body wrapped in a Buffer. (The body's copy out of Python is in
 * {@code WsgiCallBenchmark}; the bytes on the socket are Netty's.)
 */
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResponseWritingBenchmark {
    /** A Flask-like page response, as corral_wsgi.py packs it. */
    private final String packedHead = String.join("\0", "200 OK", "Content-Type", "text/html; charset=utf-8",
            "Content-Length", "19", "Set-Cookie", "session=abc123; Path=/; HttpOnly", "Cache-Control", "no-store");
    private final byte[] body = "Hello from Corral!\n".getBytes(StandardCharsets.US_ASCII);
    private final String date = "Mon, 23 Nov 2026 15:00:00 GMT";

    @Benchmark
    public void pageResponse(Blackhole blackhole) {
        ResponseHead head = ResponseHead.parse(packedHead);
        MultiMap headers = HttpHeaders.headers().add(HttpHeaders.DATE, date).add(HttpHeaders.SERVER, "corral");
        WsgiResponder.copyHeaders(head, headers);
        headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length));
        blackhole.consume(head.status());
        blackhole.consume(headers);
        blackhole.consume(Buffer.buffer(body));
    }
}
