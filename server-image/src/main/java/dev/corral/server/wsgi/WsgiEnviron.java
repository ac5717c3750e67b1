package dev.corral.server.wsgi;


import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
        List<Map.Entry<String, String>> headers = r.headers();
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

        // Repeated headers fold into one value: ", " joined, except Cookie which joins with "; " (RFC 6265).
        // A linear scan beats a map here: requests carry a dozen headers, and repeats are rare.
        int n = headers.size();
        String[] keys = new String[n];
        String[] values = new String[n];
        int distinct = 0;
        int chars = 320 + 2 * target.length();
        next:
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            // Like gunicorn, drop names with '_' so X_Forwarded_For cannot pose as X-Forwarded-For.
            if (name.indexOf('_') >= 0) {
                continue;
            }
            String key = environKey(name);
            String value = latin1(h.getValue());
            chars += key.length() + value.length() + 2;
            for (int j = 0; j < distinct; j++) {
                if (keys[j].equals(key)) {
                    values[j] = values[j] + (key.equals("HTTP_COOKIE") ? "; " : ", ") + value;
                    continue next;
                }
            }
            keys[distinct] = key;
            values[distinct] = value;
            distinct++;
        }

        EnvironPairs.Builder out = EnvironPairs.builder(chars)
                .add("REQUEST_METHOD", r.method())
                .add("SCRIPT_NAME", script)
                .add("PATH_INFO", pathInfo)
                .add("QUERY_STRING", query)
                .add("RAW_URI", target)
                .add("REQUEST_URI", target)
                .add("SERVER_NAME", r.serverName())
                .add("SERVER_PORT", Integer.toString(r.serverPort()))
                .add("SERVER_PROTOCOL", r.protocol())
                .add("SERVER_SOFTWARE", "corral")
                .add("REMOTE_ADDR", r.remoteAddr())
                .add("REMOTE_PORT", Integer.toString(r.remotePort()))
                .add("wsgi.url_scheme", r.scheme());
        for (int j = 0; j < distinct; j++) {
            out.add(keys[j], values[j]);
        }
        return out.build();
    }

    static String environKey(String headerName) {
        String known = KNOWN_KEYS.get(headerName);
        return known != null ? known : computeKey(headerName);
    }

    private static String computeKey(String headerName) {
        String upper = headerName.toUpperCase(Locale.ROOT).replace('-', '_');
        if (upper.equals("CONTENT_TYPE") || upper.equals("CONTENT_LENGTH")) {
            return upper;
        }
        return "HTTP_" + upper;
    }

    /** Keys of the headers nearly every request carries, in the spellings clients send, computed once. */
    private static final Map<String, String> KNOWN_KEYS = knownKeys("Host", "User-Agent", "Accept", "Accept-Encoding",
            "Accept-Language", "Connection", "Cookie", "Authorization", "Referer", "Origin", "Cache-Control", "Pragma",
            "If-None-Match", "If-Modified-Since", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-Ip",
            "X-Request-Id", "Upgrade-Insecure-Requests", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest",
            "Content-Type", "Content-Length", "Traceparent");

    private static Map<String, String> knownKeys(String... names) {
        Map<String, String> keys = new java.util.HashMap<>();
        for (String name : names) {
            String key = computeKey(name);
            keys.put(name, key);
            keys.put(name.toLowerCase(Locale.ROOT), key);
        }
        return Map.copyOf(keys);
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
    public static String percentDecodeLatin1(String raw) {
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
