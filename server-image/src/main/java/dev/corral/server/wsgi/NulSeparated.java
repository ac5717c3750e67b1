package dev.corral.server.wsgi;

import java.util.ArrayList;
import java.util.List;

/**
 * The format strings cross between Java and the Python driver in: fields joined by NUL, which no
 * environ entry, header name or header value may contain. One string converts in one interop call,
 * where an array costs one per element.
 */
final class NulSeparated {
    static final char SEPARATOR = '\0';

    private NulSeparated() {
    }

    /** The fields of {@code packed}, empty ones included; an empty string is one empty field. */
    static List<String> split(String packed) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        int end;
        while ((end = packed.indexOf(SEPARATOR, start)) >= 0) {
            fields.add(packed.substring(start, end));
            start = end + 1;
        }
        fields.add(packed.substring(start));
        return fields;
    }
}
