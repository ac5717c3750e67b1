package dev.corral.server.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTest {

    @Test
    void parsesTheThreeSingleRangeForms() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 99)));
        assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(900, 999)));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(900, 999)));
    }

    @Test
    void clampsTheEndAndTheSuffixToTheFile() {
        assertThat(ByteRange.parse("bytes=10-5000", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(10, 999)));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 999)));
        assertThat(new ByteRange(10, 19).length()).isEqualTo(10);
    }

    @Test
    void unsatisfiableWhenTheStartIsPastTheEnd() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=-0", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void wholeFileForAnythingElse() {
        assertThat(ByteRange.parse(null, 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("items=0-1", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=5-1", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=a-b", 1000)).isInstanceOf(ByteRange.Whole.class);
    }
}
