package dev.corral.server.wsgi;

import java.util.List;

/**
 * A response's status line and headers as the Python driver hands them over: one string, the status
 * ({@code "200 OK"}) then each header name and value, NUL-separated. The driver has already checked
 * them (PEP 3333 status form, str names and values, no line breaks, no NUL, no hop-by-hop headers).
 */
public record ResponseHead(int status, String reason, List<String> headers) {

    public ResponseHead {
        headers = List.copyOf(headers);
    }

    public static ResponseHead parse(String packed) {
        List<String> fields = NulSeparated.split(packed);
        String status = fields.get(0);
        int code = (status.charAt(0) - '0') * 100 + (status.charAt(1) - '0') * 10 + (status.charAt(2) - '0');
        List<String> headers = fields.subList(1, fields.size());
        if (headers.size() % 2 != 0) {
            throw new IllegalArgumentException("response head has a header name without a value");
        }
        return new ResponseHead(code, status.substring(4).trim(), headers);
    }

    public int headerCount() {
        return headers.size() / 2;
    }

    public String name(int i) {
        return headers.get(2 * i);
    }

    public String value(int i) {
        return headers.get(2 * i + 1);
    }

    /** The first value of a header, case-insensitively, or null. */
    public String header(String name) {
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                return headers.get(i + 1);
            }
        }
        return null;
    }

    /** The Content-Length the application declared, or -1 when it declared none (or nonsense). */
    public long declaredLength() {
        String value = header("content-length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
