package dev.corral.server.python;

import dev.corral.server.budget.RequestBudget;
import dev.corral.server.bundle.Bundle;
import dev.corral.server.wsgi.EnvironPairs;
import dev.corral.server.wsgi.ResponseChannel;
import dev.corral.server.wsgi.ResponseHead;
import org.graalvm.polyglot.Value;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One WSGI call as a worker makes it (in the server's package: the application type is not public): environ into the interpreter, the application, start_response, and
 * the list body handed back in one piece, into a channel that only consumes it (no network). The
 * interpreter runs with GraalPy's optimizing compiler (run.sh passes the JVMCI flags to the forks).
 */
@Fork(3)
@Warmup(iterations = 20, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WsgiCallBenchmark {
    private PythonRuntime runtime;
    private WsgiApplication app;
    private Path work;
    private final EnvironPairs environ = EnvironPairs.of("REQUEST_METHOD", "GET", "SCRIPT_NAME", "", "PATH_INFO", "/", "QUERY_STRING", "",
            "SERVER_NAME", "localhost", "SERVER_PORT", "8080", "SERVER_PROTOCOL", "HTTP/1.1", "REMOTE_ADDR", "127.0.0.1",
            "HTTP_HOST", "localhost:8080", "HTTP_USER_AGENT", "wrk", "wsgi.url_scheme", "http");

    /** Consumes what the application returns, as the HTTP side would before writing it. */
    public static final class ConsumingChannel implements ResponseChannel {
        Blackhole blackhole;

        @Override
        public void start(String head) {
            blackhole.consume(head);
        }

        @Override
        public boolean write(Value chunk) {
            blackhole.consume(chunk);
            return true;
        }

        @Override
        public void finish() {
        }

        @Override
        public void complete(ResponseHead head, Value body) {
            blackhole.consume(head);
            // The driver hands a list body over joined into one bytes object; copy it out as the HTTP side does.
            byte[] out = new byte[(int) body.getBufferSize()];
            body.readBuffer(0, out, 0, out.length);
            blackhole.consume(out);
        }

        @Override
        public void sendFile(ResponseHead head, java.nio.channels.FileChannel file, long offset) {
        }

        @Override
        public void fail(int status, String message) {
            throw new IllegalStateException(status + " " + message);
        }
    }

    private final ConsumingChannel channel = new ConsumingChannel();

    @Setup(Level.Trial)
    public void load() throws Exception {
        work = Files.createTempDirectory("corral-jmh");
        Path bundle = Files.createDirectories(work.resolve("bundle"));
        try (InputStream app = WsgiCallBenchmark.class.getResourceAsStream("/hello/app.py")) {
            Files.write(bundle.resolve("app.py"), app.readAllBytes());
        }
        runtime = new PythonRuntime();
        app = WsgiApplication.load(runtime, Bundle.open(bundle, work.resolve("unpacked")), work, Map.of());
    }

    @TearDown(Level.Trial)
    public void close() {
        app.close();
        runtime.close();
    }

    @Benchmark
    public void helloWorld(Blackhole blackhole) {
        channel.blackhole = blackhole;
        app.call(new WsgiCall(environ, null, channel, RequestBudget.UNLIMITED, "default"));
    }
}
