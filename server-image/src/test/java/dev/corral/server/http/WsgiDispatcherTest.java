package dev.corral.server.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WsgiDispatcherTest {
    @Test
    void absoluteFormTargetsAreReducedToOriginForm() {
        assertThat(WsgiDispatcher.originForm("http://example.org:8080/a/b?c=d")).isEqualTo("/a/b?c=d");
        assertThat(WsgiDispatcher.originForm("http://example.org")).isEqualTo("/");
        assertThat(WsgiDispatcher.originForm("http://example.org?q=1")).isEqualTo("/?q=1");
        assertThat(WsgiDispatcher.originForm("/plain?x=http://y/")).isEqualTo("/plain?x=http://y/");
    }
}
