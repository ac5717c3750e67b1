package dev.corral.server.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The server-wide bound on buffered request bodies: over it readers pause, and resume as bodies are released. */
class BodyBuffersTest {
    @Test
    void pastTheBoundReadersPauseAndResumeInOrderAsRoomReturns() {
        BodyBuffers buffers = new BodyBuffers(100);
        assertThat(buffers.take(0, 60)).isTrue();
        assertThat(buffers.take(0, 60)).as("a second body over the bound").isFalse();
        AtomicInteger resumed = new AtomicInteger();
        buffers.whenRoom(resumed::incrementAndGet);
        assertThat(resumed).hasValue(0);
        buffers.release(60);
        assertThat(resumed).as("room again after the first body is done").hasValue(1);
        assertThat(buffers.held()).isEqualTo(60);
    }

    @Test
    void aBodyAloneInTheServerIsNeverStalledByABoundSmallerThanItself() {
        BodyBuffers buffers = new BodyBuffers(10);
        assertThat(buffers.take(0, 8)).isTrue();
        assertThat(buffers.take(8, 8)).as("only its own bytes are held").isTrue();
        assertThat(buffers.take(0, 1)).as("another body must wait").isFalse();
    }

    @Test
    void aBufferedBodyReleasesItsBytesOnceWhateverEndsItFirst() {
        BodyBuffers buffers = new BodyBuffers(1000);
        BufferedBody body = new BufferedBody(buffers);
        body.append(io.vertx.core.buffer.Buffer.buffer(new byte[300]));
        assertThat(buffers.held()).isEqualTo(300);
        body.release();
        body.release();
        assertThat(buffers.held()).isZero();
    }
}
