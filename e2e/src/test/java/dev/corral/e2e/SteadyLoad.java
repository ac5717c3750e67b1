package dev.corral.e2e;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** Clients sending GETs back to back at one server until stopped, keeping every status and latency. */
final class SteadyLoad implements AutoCloseable {
    /** What the load saw: requests, failures (non-200 or no answer), and latency percentiles in microseconds. */
    record Result(int requests, int errors, long p50Micros, long p99Micros, List<String> failures) {
        @Override
        public String toString() {
            return requests + " requests, " + errors + " errors, p50 " + p50Micros + " us, p99 " + p99Micros + " us";
        }
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();

    static SteadyLoad start(ServerProcess server, String path, int clients) {
        SteadyLoad load = new SteadyLoad();
        for (int i = 0; i < clients; i++) {
            load.clients.add(Thread.ofPlatform().name("load-" + i).start(() -> load.run(server, path)));
        }
        return load;
    }

    private void run(ServerProcess server, String path) {
        while (running.get()) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = server.get(path);
                if (response.statusCode() != 200) {
                    failures.add(response.statusCode() + " " + response.body().trim());
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
            latencies.add((System.nanoTime() - start) / 1000);
        }
    }

    Result stop() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return new Result(0, failures.size(), 0, 0, List.copyOf(failures));
        }
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
        return new Result(sorted.size(), failures.size(), p50, p99, List.copyOf(failures));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
