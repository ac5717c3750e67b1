package dev.corral.server.wsgi;

import java.util.ArrayList;
import java.util.List;

/**
 * A request's WSGI environ as one string of NUL-separated names and values. Python receives it with a
 * single conversion and splits it natively; an array of strings would cost one interop read (and a GIL
 * release) per element, which profiling showed was a third of a worker's time on a hello request.
 * No name or value may contain NUL: HTTP forbids it in headers, and a path that decodes to one is
 * refused before it gets here.
 */
public final class EnvironPairs {
    public static final EnvironPairs EMPTY = new EnvironPairs("");

    private final String packed;

    private EnvironPairs(String packed) {
        this.packed = packed;
    }

    /** What the Python driver splits on NUL. */
    public String packed() {
        return packed;
    }

    /** Packs names and values; a NUL inside one is refused rather than silently splitting it. */
    public static EnvironPairs of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("environ pairs must alternate names and values");
        }
        Builder out = builder(pairs.length * 16);
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(pairs[i], pairs[i + 1]);
        }
        return out.build();
    }

    /** A builder whose buffer starts at {@code capacity} characters (one request's environ is built in one go). */
    public static Builder builder(int capacity) {
        return new Builder(capacity);
    }

    /** Appends pairs straight into the packed string, with no intermediate list. */
    public static final class Builder {
        private final StringBuilder out;

        private Builder(int capacity) {
            out = new StringBuilder(capacity);
        }

        public Builder add(String name, String value) {
            check(name, "name");
            check(value, "value");
            if (!out.isEmpty()) {
                out.append(NulSeparated.SEPARATOR);
            }
            out.append(name).append(NulSeparated.SEPARATOR).append(value);
            return this;
        }

        public EnvironPairs build() {
            return new EnvironPairs(out.toString());
        }

        private static void check(String s, String what) {
            if (s.indexOf(NulSeparated.SEPARATOR) >= 0) {
                throw new IllegalArgumentException("an environ " + what + " contains a NUL character");
            }
        }
    }

    /** The names and values again, in order (for tests and diagnostics; the hot path never unpacks). */
    public List<String> unpack() {
        return packed.isEmpty() ? new ArrayList<>() : NulSeparated.split(packed);
    }
}
