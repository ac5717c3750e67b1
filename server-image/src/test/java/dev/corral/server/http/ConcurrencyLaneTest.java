package dev.corral.server.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A route's lane: capped running, a bounded line, and a bound in time on the wait. */
class ConcurrencyLaneTest {
    @Test
    void aRequestThatWaitedPastTheBoundIsExpiredAndTheNextOneRuns() throws Exception {
        ConcurrencyLane lane = new ConcurrencyLane(1, 10, Duration.ofMillis(50));
        List<String> log = new CopyOnWriteArrayList<>();
        assertThat(lane.enter(() -> log.add("start a"), () -> log.add("expired a"))).isTrue();
        assertThat(lane.enter(() -> log.add("start b"), () -> log.add("expired b"))).isTrue();
        assertThat(lane.waiting()).isEqualTo(1);
        Thread.sleep(120);
        assertThat(lane.enter(() -> log.add("start c"), () -> log.add("expired c"))).isTrue();
        lane.leave();
        assertThat(log).containsExactly("start a", "expired b", "start c");
        assertThat(lane.waiting()).isZero();
    }

    @Test
    void aFullLineRefuses() {
        ConcurrencyLane lane = new ConcurrencyLane(1, 1, Duration.ZERO);
        assertThat(lane.enter(() -> { }, () -> { })).isTrue();
        assertThat(lane.enter(() -> { }, () -> { })).isTrue();
        assertThat(lane.enter(() -> { }, () -> { })).isFalse();
    }
}
