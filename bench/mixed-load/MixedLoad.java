import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop mixed load on 127.0.0.1: CLIENTS clients for SECONDS, each request /burn with probability
 * SLOW_SHARE, else /fast. Prints latency percentiles of each class separately.
 * Usage: java MixedLoad.java BASE_URL [CLIENTS=16] [SECONDS=20] [SLOW_SHARE=0.1] [WARMUP_SECONDS=10]
 */
public class MixedLoad {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        double slowShare = args.length > 3 ? Double.parseDouble(args[3]) : 0.1;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        run(http, base, clients, warmup, slowShare, false);
        run(http, base, clients, seconds, slowShare, true);
    }

    static void run(HttpClient http, String base, int clients, int seconds, double slowShare, boolean report) throws Exception {
        ConcurrentLinkedQueue<Long> fast = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> slow = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    boolean isSlow = ThreadLocalRandom.current().nextDouble() < slowShare;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + (isSlow ? "/burn" : "/fast")))
                            .timeout(Duration.ofSeconds(60)).build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    (isSlow ? slow : fast).add((System.nanoTime() - start) / 1000);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (report) {
            System.out.printf("fast: %s%nslow: %s%nerrors: %d over %d s (%.0f req/s)%n", summary(fast), summary(slow), errors.get(), seconds,
                    (fast.size() + slow.size()) / (double) seconds);
        }
    }

    static String summary(ConcurrentLinkedQueue<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        if (sorted.isEmpty()) {
            return "none";
        }
        Collections.sort(sorted);
        return String.format("n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms", sorted.size(),
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1000.0);
    }

    static double pct(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p) - 1)) / 1000.0;
    }
}
