package dev.corral.server.bundle;

import java.util.List;

/** GET requests the server sends itself before it reports ready, so the JIT is warm when traffic arrives. */
public record Warmup(List<String> paths, int requestsPerPath) {
    public static final Warmup NONE = new Warmup(List.of(), 0);

    public Warmup {
        paths = List.copyOf(paths);
    }
}
