package dev.corral.bench;

import dev.corral.server.wsgi.EnvironPairs;
import dev.corral.server.wsgi.WsgiEnviron;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Building the WSGI environ of a typical browser request (12 headers, a query, a percent-escape). */
@Fork(3)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WsgiEnvironBenchmark {
    private final WsgiEnviron.Request request = new WsgiEnviron.Request("GET", "/products/42/caf%C3%A9?fields=id,name&page=2", "HTTP/1.1",
            List.of(Map.entry("Host", "shop.example"), Map.entry("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"),
                    Map.entry("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                    Map.entry("Accept-Language", "en-GB,en;q=0.5"), Map.entry("Accept-Encoding", "gzip, deflate, br"),
                    Map.entry("Connection", "keep-alive"), Map.entry("Cookie", "session=abc123; theme=dark"),
                    Map.entry("Upgrade-Insecure-Requests", "1"), Map.entry("Sec-Fetch-Dest", "document"),
                    Map.entry("Sec-Fetch-Mode", "navigate"), Map.entry("Sec-Fetch-Site", "none"), Map.entry("Priority", "u=0, i")),
            "127.0.0.1", 51234, "shop.example", 8080, "http", "");

    @Benchmark
    public dev.corral.server.python.EnvironPairs build() {
        return WsgiEnviron.build(request);
    }
}
