package dev.corral.server.http;

import dev.corral.server.python.EnvironPairs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a request's WSGI environ (PEP 3333) as packed name/value pairs, which the Python driver
 * splits into a dict. Strings that stand for bytes (PATH_INFO, header values) are latin-1
 * "bytes as str", as the PEP requires.
 */
public final class WsgiEnviron {
    private WsgiEnviron() {
    }

    /** What the environ is built from: the request as it arrived, before any decoding. */
    public record Request(String method, String rawTarget, String protocol, List<Map.Entry<String, String>> headers,
                          String remoteAddr, int remotePort, String serverName, int serverPort, String scheme,
                          String scriptName) {
    }

    /**
     * The environ of one request.
     *
     * @throws IllegalArgumentException when the path decodes to a NUL byte ({@code %00}); nginx refuses
     *         those too, and no environ string may carry one
     */
    public static EnvironPairs build(Request r) {
        List<String> out = new ArrayList<>(32 + 2 * r.headers().size());
        String target = r.rawTarget();
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        String path = percentDecodeLatin1(rawPath);
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the request path contains an encoded NUL byte (%00)");
        }
        String script = r.scriptName();
        String pathInfo = path;
        if (!script.isEmpty() && (path.equals(script) || path.startsWith(script + "/"))) {
            pathInfo = path.substring(script.length());
        }
        add(out, "REQUEST_METHOD", r.method());
        add(out, "SCRIPT_NAME", script);
        add(out, "PATH_INFO", pathInfo);
        add(out, "QUERY_STRING", query);
        add(out, "RAW_URI", target);
        add(out, "REQUEST_URI", target);
        add(out, "SERVER_NAME", r.serverName());
        add(out, "SERVER_PORT", Integer.toString(r.serverPort()));
        add(out, "SERVER_PROTOCOL", r.protocol());
        add(out, "SERVER_SOFTWARE", "corral");
        add(out, "REMOTE_ADDR", r.remoteAddr());
        add(out, "REMOTE_PORT", Integer.toString(r.remotePort()));
        add(out, "wsgi.url_scheme", r.scheme());

        // Repeated headers fold into one value: ", " joined, except Cookie which joins with "; " (RFC 6265).
        Map<String, String> folded = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : r.headers()) {
            String name = h.getKey();
            // Like gunicorn, drop names with '_' so X_Forwarded_For cannot pose as X-Forwarded-For.
            if (name.indexOf('_') >= 0) {
                continue;
            }
            String key = environKey(name);
            String value = latin1(h.getValue());
            folded.merge(key, value, (a, b) -> a + (key.equals("HTTP_COOKIE") ? "; " : ", ") + b);
        }
        folded.forEach((k, v) -> add(out, k, v));
        return EnvironPairs.of(out);
    }

    private static void add(List<String> out, String name, String value) {
        out.add(name);
        out.add(value);
    }

    static String environKey(String headerName) {
        String upper = headerName.toUpperCase(Locale.ROOT).replace('-', '_');
        if (upper.equals("CONTENT_TYPE") || upper.equals("CONTENT_LENGTH")) {
            return upper;
        }
        return "HTTP_" + upper;
    }

    /** Header values arrive as latin-1 already; anything wider was decoded as UTF-8 and goes back to bytes. */
    private static String latin1(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return value;
    }

    /** Decodes %XX escapes to bytes and returns them as a latin-1 string; malformed escapes stay as they are. */
    static String percentDecodeLatin1(String raw) {
        if (raw.indexOf('%') < 0) {
            return latin1(raw);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%' && i + 2 < in.length) {
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    bytes.write((hi << 4) | lo);
                    i += 2;
                    continue;
                }
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
