package dev.corral.server.python;

import dev.corral.server.budget.RequestBudget;
import dev.corral.server.wsgi.EnvironPairs;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestQueueTest {
    private static WsgiCall call() {
        return new WsgiCall(EnvironPairs.of("REQUEST_METHOD", "GET"), null, new RecordingChannel(), RequestBudget.UNLIMITED, "default");
    }

    @Test
    void fastRequestsMayQueueUpToTheCapacity() throws Exception {
        RequestQueue queue = new RequestQueue(400, Duration.ofSeconds(1), 2);
        queue.served(0, 30_000);   // a 30 µs handler: 400 waiting is 6 ms
        for (int i = 0; i < 400; i++) {
            assertThat(queue.offer(call())).as("request %d", i).isEqualTo(Admission.QUEUED);
        }
        assertThat(queue.offer(call())).isEqualTo(Admission.QUEUE_FULL);
        assertThat(queue.size()).isEqualTo(400);
        queue.take();
        assertThat(queue.offer(call())).as("a place freed").isEqualTo(Admission.QUEUED);
    }

    @Test
    void rightAfterReadyOnlyAFullQueueRefusesUntilTheGraceEnds() throws Exception {
        long[] now = {1_000};
        RequestQueue queue = new RequestQueue(5, Duration.ofSeconds(1), 2, () -> now[0]);
        queue.served(0, 800_000_000);   // 0.8 s per request: a third waiting would be refused
        queue.suspendTimeBound(Duration.ofSeconds(60));
        for (int i = 0; i < 5; i++) {
            assertThat(queue.offer(call())).as("request %d, in the grace", i).isEqualTo(Admission.QUEUED);
        }
        assertThat(queue.offer(call())).as("full").isEqualTo(Admission.QUEUE_FULL);
        now[0] += Duration.ofSeconds(60).toNanos();
        queue.take();
        assertThat(queue.offer(call())).as("grace over: 4 ahead is 1.6 s").isEqualTo(Admission.WAIT_TOO_LONG);
    }

    @Test
    void slowRequestsAreRefusedOnceTheWaitAheadPassesTheLimit() {
        RequestQueue queue = new RequestQueue(1000, Duration.ofSeconds(1), 2);
        queue.served(0, 800_000_000);   // 0.8 s per request, two workers: each one waiting adds 0.4 s
        assertThat(queue.offer(call())).as("nobody ahead").isEqualTo(Admission.QUEUED);
        assertThat(queue.offer(call())).as("0.4 s ahead").isEqualTo(Admission.QUEUED);
        assertThat(queue.offer(call())).as("0.8 s ahead").isEqualTo(Admission.QUEUED);
        assertThat(queue.offer(call())).as("1.2 s ahead").isEqualTo(Admission.WAIT_TOO_LONG);
        assertThat(queue.size()).isEqualTo(3);
    }

    @Test
    void theEstimateFollowsAHandlerThatSpeedsUp() {
        RequestQueue queue = new RequestQueue(1000, Duration.ofSeconds(1), 1);
        queue.served(0, 2_000_000_000L);
        assertThat(queue.offer(call())).isEqualTo(Admission.QUEUED);
        assertThat(queue.offer(call())).as("2 s ahead").isEqualTo(Admission.WAIT_TOO_LONG);
        for (int i = 0; i < 80; i++) {
            queue.served(0, 1_000_000);
        }
        assertThat(queue.serviceNanos()).isBetween(1_000_000L, 2_000_000L);
        assertThat(queue.offer(call())).as("a few ms ahead now").isEqualTo(Admission.QUEUED);
    }

    @Test
    void aZeroWaitLimitBoundsByCountOnly() {
        RequestQueue queue = new RequestQueue(3, Duration.ZERO, 1);
        queue.served(0, 60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(queue.offer(call())).isEqualTo(Admission.QUEUED);
        }
        assertThat(queue.offer(call())).isEqualTo(Admission.QUEUE_FULL);
    }

    @Test
    void stopMarkersGoBehindAFullQueueWithoutBlocking() throws Exception {
        RequestQueue queue = new RequestQueue(1, Duration.ZERO, 2);
        WsgiCall waiting = call();
        queue.offer(waiting);
        queue.stopOne();
        queue.stopOne();
        assertThat(queue.take()).isSameAs(waiting);
        assertThat(queue.take()).isSameAs(PythonWorker.STOP);
        assertThat(queue.take()).isSameAs(PythonWorker.STOP);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new RequestQueue(0, Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestQueue(1, Duration.ofSeconds(-1), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
