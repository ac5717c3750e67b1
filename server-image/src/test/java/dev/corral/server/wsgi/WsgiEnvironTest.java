package dev.corral.server.wsgi;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WsgiEnvironTest {

    private static Map<String, String> environ(String target, List<Map.Entry<String, String>> headers, String scriptName) {
        List<String> pairs = WsgiEnviron.build(new WsgiEnviron.Request("GET", target, "HTTP/1.1", headers,
                "10.0.0.7", 51234, "example.org", 8080, "http", scriptName)).unpack();
        assertThat(pairs.size() % 2).isZero();
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            assertThat(map.put(pairs.get(i), pairs.get(i + 1))).as("duplicate key %s", pairs.get(i)).isNull();
        }
        return map;
    }

    @Test
    void cgiKeysFollowPep3333() {
        Map<String, String> env = environ("/items/42?sort=asc&x=%20", List.of(), "");
        assertThat(env).containsEntry("REQUEST_METHOD", "GET")
                .containsEntry("SCRIPT_NAME", "")
                .containsEntry("PATH_INFO", "/items/42")
                .containsEntry("QUERY_STRING", "sort=asc&x=%20")
                .containsEntry("SERVER_NAME", "example.org")
                .containsEntry("SERVER_PORT", "8080")
                .containsEntry("SERVER_PROTOCOL", "HTTP/1.1")
                .containsEntry("REMOTE_ADDR", "10.0.0.7")
                .containsEntry("REMOTE_PORT", "51234")
                .containsEntry("wsgi.url_scheme", "http")
                .containsEntry("RAW_URI", "/items/42?sort=asc&x=%20");
    }

    @Test
    void pathInfoIsPercentDecodedBytesAsLatin1() {
        // "é" is C3 A9 in UTF-8; WSGI wants each byte as one latin-1 character.
        Map<String, String> env = environ("/caf%C3%A9/a%2Fb", List.of(), "");
        assertThat(env.get("PATH_INFO")).isEqualTo("/caf\u00c3\u00a9/a/b");
        assertThat(WsgiEnviron.percentDecodeLatin1("/100%")).isEqualTo("/100%");
        assertThat(WsgiEnviron.percentDecodeLatin1("/%zz")).isEqualTo("/%zz");
    }

    @Test
    void aPathDecodingToNulIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> environ("/a%00b", List.of(), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL byte (%00)");
        assertThat(environ("/a?x=%00", List.of(), "")).containsEntry("QUERY_STRING", "x=%00");
    }

    @Test
    void scriptNameIsSplitOffThePath() {
        assertThat(environ("/app/hello", List.of(), "/app")).containsEntry("SCRIPT_NAME", "/app").containsEntry("PATH_INFO", "/hello");
        assertThat(environ("/app", List.of(), "/app")).containsEntry("PATH_INFO", "");
        assertThat(environ("/apple", List.of(), "/app")).containsEntry("PATH_INFO", "/apple");
    }

    @Test
    void headersBecomeHttpKeysExceptContentTypeAndLength() {
        Map<String, String> env = environ("/", List.of(
                Map.entry("Content-Type", "application/json"),
                Map.entry("Content-Length", "12"),
                Map.entry("X-Request-Id", "abc"),
                Map.entry("Accept", "text/html"),
                Map.entry("accept", "application/json"),
                Map.entry("Cookie", "a=1"),
                Map.entry("Cookie", "b=2")), "");
        assertThat(env).containsEntry("CONTENT_TYPE", "application/json")
                .containsEntry("CONTENT_LENGTH", "12")
                .containsEntry("HTTP_X_REQUEST_ID", "abc")
                .containsEntry("HTTP_ACCEPT", "text/html, application/json")
                .containsEntry("HTTP_COOKIE", "a=1; b=2")
                .doesNotContainKey("HTTP_CONTENT_TYPE");
    }

    @Test
    void headerNamesWithUnderscoresAreDroppedSoTheyCannotSpoofDashedOnes() {
        Map<String, String> env = environ("/", List.of(Map.entry("X_Forwarded_For", "1.2.3.4"), Map.entry("X-Forwarded-For", "5.6.7.8")), "");
        assertThat(env).containsEntry("HTTP_X_FORWARDED_FOR", "5.6.7.8");
    }

    @Test
    void nonLatin1HeaderValuesGoBackToTheirUtf8Bytes() {
        Map<String, String> env = environ("/", List.of(Map.entry("X-Name", "\u00e9\u4e2d")), "");
        assertThat(env.get("HTTP_X_NAME")).isEqualTo(new String("\u00e9\u4e2d".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
