package dev.corral.server.python;

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
    static final char SEPARATOR = '\0';
    static final EnvironPairs EMPTY = new EnvironPairs("");

    private final String packed;

    private EnvironPairs(String packed) {
        this.packed = packed;
    }

    /** What the Python driver splits on NUL. */
    public String packed() {
        return packed;
    }

    /** Packs names and values; a NUL inside one is refused rather than silently splitting it. */
    public static EnvironPairs of(List<String> pairs) {
        if (pairs.size() % 2 != 0) {
            throw new IllegalArgumentException("environ pairs must alternate names and values");
        }
        StringBuilder out = new StringBuilder(pairs.size() * 16);
        for (int i = 0; i < pairs.size(); i++) {
            String s = pairs.get(i);
            if (s.indexOf(SEPARATOR) >= 0) {
                throw new IllegalArgumentException("an environ " + (i % 2 == 0 ? "name" : "value") + " contains a NUL character");
            }
            if (i > 0) {
                out.append(SEPARATOR);
            }
            out.append(s);
        }
        return new EnvironPairs(out.toString());
    }

    public static EnvironPairs of(String... pairs) {
        return of(List.of(pairs));
    }

    /** The names and values again, in order (for tests and diagnostics; the hot path never unpacks). */
    public List<String> unpack() {
        List<String> out = new ArrayList<>();
        if (packed.isEmpty()) {
            return out;
        }
        int start = 0;
        for (int i = 0; i <= packed.length(); i++) {
            if (i == packed.length() || packed.charAt(i) == SEPARATOR) {
                out.add(packed.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
