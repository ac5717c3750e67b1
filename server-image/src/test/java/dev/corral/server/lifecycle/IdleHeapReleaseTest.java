package dev.corral.server.lifecycle;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IdleHeapReleaseTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1000 * SECOND);
    private final AtomicLong lastServed = new AtomicLong();
    private final AtomicInteger collections = new AtomicInteger();
    private final IdleHeapRelease release = new IdleHeapRelease(lastServed::get, Duration.ofSeconds(30), now::get, collections::incrementAndGet);

    @Test
    void collectsOnceAfterStartWhenNothingIsServed() {
        now.addAndGet(29 * SECOND);
        assertThat(release.check()).as("29 s after start").isFalse();
        now.addAndGet(SECOND);
        assertThat(release.check()).as("30 s after start").isTrue();
        now.addAndGet(60 * SECOND);
        assertThat(release.check()).as("still idle: once is enough").isFalse();
        assertThat(collections).hasValue(1);
    }

    @Test
    void collectsAgainOnlyAfterNewRequestsThenSilence() {
        now.addAndGet(30 * SECOND);
        release.check();
        lastServed.set(now.addAndGet(SECOND));   // a request, then busy for a while
        now.addAndGet(10 * SECOND);
        lastServed.set(now.get());
        assertThat(release.check()).as("served just now").isFalse();
        now.addAndGet(30 * SECOND);
        assertThat(release.check()).as("30 s of silence after the last request").isTrue();
        assertThat(release.check()).isFalse();
        assertThat(collections).hasValue(2);
    }

    @Test
    void aZeroPeriodNeverCollects() {
        IdleHeapRelease off = new IdleHeapRelease(lastServed::get, Duration.ZERO, now::get, collections::incrementAndGet);
        off.start();
        now.addAndGet(3600 * SECOND);
        assertThat(off.check()).isFalse();
        off.close();
        assertThat(collections).hasValue(0);
    }

    @Test
    void theTimerCollectsOnItsOwnThread() {
        AtomicLong thread = new AtomicLong();
        try (IdleHeapRelease live = new IdleHeapRelease(() -> 0, Duration.ofMillis(200), System::nanoTime,
                () -> thread.set(Thread.currentThread().threadId()))) {
            live.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> thread.get() != 0);
            assertThat(thread.get()).isNotEqualTo(Thread.currentThread().threadId());
        }
    }
}
