package dev.corral.server.http;

/**
 * One satisfiable byte range of a file (RFC 9110 §14). Multi-range requests are answered with the whole
 * file, which the RFC allows; an unsatisfiable range is answered 416.
 */
public record ByteRange(long start, long endInclusive) {

    public long length() {
        return endInclusive - start + 1;
    }

    /** What a Range header asks of a file of {@code size} bytes. */
    public sealed interface Request permits Whole, Partial, Unsatisfiable {
    }

    /** Send the whole file (no Range, an unsupported unit, or several ranges). */
    public record Whole() implements Request {
    }

    /** Send this part with 206. */
    public record Partial(ByteRange range) implements Request {
    }

    /** Answer 416 with {@code Content-Range: bytes *}{@code /size}. */
    public record Unsatisfiable() implements Request {
    }

    public static Request parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.trim();
        if (!h.startsWith("bytes=")) {
            return new Whole();
        }
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return new Whole();
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start < 0 || (!last.isEmpty() && Long.parseLong(last) < start)) {
                return new Whole();
            }
            if (start >= size) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }
}
