package dev.corral.server.wsgi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseHeadTest {

    @Test
    void statusReasonAndHeadersComeApartInOrder() {
        ResponseHead head = ResponseHead.parse("404 Not Found\0Content-Type\0text/plain\0Set-Cookie\0a=1\0Set-Cookie\0b=2");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.reason()).isEqualTo("Not Found");
        assertThat(head.headerCount()).isEqualTo(3);
        assertThat(head.name(2)).isEqualTo("Set-Cookie");
        assertThat(head.value(2)).isEqualTo("b=2");
        assertThat(head.header("set-cookie")).isEqualTo("a=1");
        assertThat(head.declaredLength()).isEqualTo(-1);
    }

    @Test
    void noHeadersAndEmptyValuesSurvive() {
        ResponseHead bare = ResponseHead.parse("204 ");
        assertThat(bare.status()).isEqualTo(204);
        assertThat(bare.reason()).isEmpty();
        assertThat(bare.headerCount()).isZero();
        ResponseHead empty = ResponseHead.parse("200 OK\0X-Empty\0\0Content-Length\0 12 ");
        assertThat(empty.value(0)).isEmpty();
        assertThat(empty.declaredLength()).isEqualTo(12);
        assertThat(ResponseHead.parse("200 OK\0Content-Length\0twelve").declaredLength()).isEqualTo(-1);
    }

    @Test
    void aNameWithoutAValueIsRefused() {
        assertThatThrownBy(() -> ResponseHead.parse("200 OK\0X-Lonely")).hasMessageContaining("without a value");
    }
}
