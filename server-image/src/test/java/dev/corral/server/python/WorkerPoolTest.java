package dev.corral.server.python;

import dev.corral.server.budget.BudgetKind;
import dev.corral.server.budget.RequestBudget;
import dev.corral.server.bundle.Bundle;
import dev.corral.server.wsgi.EnvironPairs;
import dev.corral.server.wsgi.ResponseChannel;
import dev.corral.server.wsgi.ResponseHead;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The supervisor's reaction to a worker thread that dies: a replacement takes its slot. */
class WorkerPoolTest {
    @TempDir
    Path temp;

    /** Records what the pool reports. */
    static final class RecordingEvents implements WorkerEvents {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void breached(BudgetKind kind) {
            events.add("breached " + kind.label());
        }

        @Override
        public void cancelled(BudgetKind kind) {
            events.add("cancelled " + kind.label());
        }

        @Override
        public void replaced(String reason) {
            events.add("replaced " + reason);
        }

        @Override
        public void abandoned() {
            events.add("abandoned");
        }

        @Override
        public void importFailed() {
            events.add("import failed");
        }
    }

    /** A channel whose client has already left. */
    static final class GoneChannel extends RecordingChannel {
        @Override
        public boolean clientHasGone() {
            return true;
        }
    }

    /** A channel whose connection code fails with an Error, as a JVM fault inside a worker would. */
    public static final class FatalChannel extends RecordingChannel {
        @Override
        public void complete(ResponseHead head, Value body) {
            throw new StackOverflowError("simulated fault in the worker thread");
        }
    }

    private static WsgiCall call(ResponseChannel channel) {
        return new WsgiCall(EnvironPairs.of("REQUEST_METHOD", "GET", "PATH_INFO", "/list", "QUERY_STRING", ""), null, channel,
                RequestBudget.UNLIMITED, "default");
    }

    @Test
    void aWorkerThatDiesIsReplacedAndThePoolServesOn() throws Exception {
        Path bundleRoot = Path.of(getClass().getResource("/bundles/pep3333").toURI());
        RecordingEvents events = new RecordingEvents();
        try (PythonRuntime runtime = new PythonRuntime()) {
            WorkerPool pool = new WorkerPool(runtime, Bundle.open(bundleRoot, temp), new WorkerPool.Settings(1, 8, Duration.ZERO, temp, Map.of(),
                    0, 0, Duration.ofSeconds(1), Duration.ofMillis(5)), events);
            pool.start();
            assertThat(pool.live()).isEqualTo(1);

            assertThat(pool.submit(call(new FatalChannel()))).isEqualTo(Admission.QUEUED);
            await().atMost(Duration.ofSeconds(60)).until(() -> events.events.contains("replaced died"));
            await().atMost(Duration.ofSeconds(60)).until(() -> pool.live() == 1);

            RecordingChannel after = new RecordingChannel();
            assertThat(pool.submit(call(after))).isEqualTo(Admission.QUEUED);
            await().atMost(Duration.ofSeconds(60)).until(() -> after.events.contains("complete"));
            assertThat(after.text()).isEqualTo("hello");
            assertThat(pool.stop(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aHandlerThatReturnsPastItsMemoryBudgetBeforeTheSupervisorLooksIsStillRefused() throws Exception {
        Path bundleRoot = Path.of(getClass().getResource("/bundles/budgets").toURI());
        RecordingEvents events = new RecordingEvents();
        try (PythonRuntime runtime = new PythonRuntime()) {
            // A supervisor tick of an hour: it never looks while a call runs, as on a machine too loaded to schedule it.
            WorkerPool pool = new WorkerPool(runtime, Bundle.open(bundleRoot, temp), new WorkerPool.Settings(1, 8, Duration.ZERO, temp, Map.of(),
                    0, 0, Duration.ofSeconds(1), Duration.ofHours(1)), events);
            pool.start();
            RequestBudget budget = new RequestBudget(Duration.ZERO, Duration.ZERO, 32L << 20);
            RecordingChannel within = burst(pool, "8", budget);
            assertThat(within.events).containsExactly("complete");
            assertThat(within.text()).isEqualTo(String.valueOf(8 << 20));

            RecordingChannel past = burst(pool, "96", budget);
            assertThat(past.events).as("answered by the budget, not by the handler").containsExactly("fail 503");
            assertThat(past.failure).isEqualTo("the request exceeded its memory budget (32 MiB allocated)");
            assertThat(events.events).containsExactly("breached memory");

            RecordingChannel after = burst(pool, "8", budget);
            assertThat(after.events).as("the worker serves on").containsExactly("complete");
            assertThat(pool.stop(Duration.ofSeconds(10))).isTrue();
        }
    }

    private static RecordingChannel burst(WorkerPool pool, String mebibytes, RequestBudget budget) {
        RecordingChannel channel = new RecordingChannel();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        assertThat(pool.submit(new WsgiCall(EnvironPairs.of("REQUEST_METHOD", "GET", "PATH_INFO", "/burst", "QUERY_STRING", mebibytes),
                null, channel, budget, "/burst", () -> done.set(true)))).isEqualTo(Admission.QUEUED);
        await().atMost(Duration.ofSeconds(60)).until(done::get);
        return channel;
    }

    @Test
    void aQueuedCallWhoseClientLeftIsDroppedWithoutRunning() throws Exception {
        Path bundleRoot = Path.of(getClass().getResource("/bundles/pep3333").toURI());
        RecordingEvents events = new RecordingEvents();
        try (PythonRuntime runtime = new PythonRuntime()) {
            WorkerPool pool = new WorkerPool(runtime, Bundle.open(bundleRoot, temp), new WorkerPool.Settings(1, 8, Duration.ZERO, temp, Map.of(),
                    0, 0, Duration.ofSeconds(1), Duration.ofMillis(5)), events);
            pool.start();
            GoneChannel gone = new GoneChannel();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            assertThat(pool.submit(new WsgiCall(EnvironPairs.of("REQUEST_METHOD", "GET", "PATH_INFO", "/list", "QUERY_STRING", ""), null,
                    gone, RequestBudget.UNLIMITED, "default", () -> done.set(true)))).isEqualTo(Admission.QUEUED);
            await().atMost(Duration.ofSeconds(30)).until(done::get);
            assertThat(events.events).contains("abandoned");
            assertThat(gone.events).as("nothing ran, nothing was sent").isEmpty();
            assertThat(pool.stop(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aReplacementThatCannotImportLeavesItsSlotDeadAndIsRetriedUntilItWorks() throws Exception {
        Path bundleRoot = java.nio.file.Files.createDirectories(temp.resolve("flaky-bundle"));
        Path work = java.nio.file.Files.createDirectories(temp.resolve("work"));
        Path marker = work.resolve("fail-import");
        java.nio.file.Files.writeString(bundleRoot.resolve("app.py"), """
                import os
                if os.path.exists(os.path.join(os.environ['TMPDIR'], 'fail-import')):
                    raise RuntimeError('this interpreter may not import the application')

                def application(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return [b'hello']
                """);
        RecordingEvents events = new RecordingEvents();
        try (PythonRuntime runtime = new PythonRuntime()) {
            WorkerPool pool = new WorkerPool(runtime, Bundle.open(bundleRoot, temp.resolve("unpacked")), new WorkerPool.Settings(2, 8,
                    Duration.ZERO, work, Map.of(), 0, 0, Duration.ofSeconds(1), Duration.ofMillis(5)), events);
            pool.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> pool.spares() == 1);
            java.nio.file.Files.writeString(marker, "x");
            // The first replacement takes the spare imported before; the next has to import, and cannot.
            for (int kills = 0; kills < 2; kills++) {
                int died = (int) events.events.stream().filter("replaced died"::equals).count();
                assertThat(pool.submit(call(new FatalChannel()))).isEqualTo(Admission.QUEUED);
                await().atMost(Duration.ofSeconds(60)).until(() -> events.events.stream().filter("replaced died"::equals).count() > died);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> events.events.contains("import failed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.live() == 1);
            // One slot down, the other still serves.
            RecordingChannel meanwhile = new RecordingChannel();
            pool.submit(call(meanwhile));
            await().atMost(Duration.ofSeconds(30)).until(() -> meanwhile.events.contains("complete"));

            java.nio.file.Files.delete(marker);
            await().atMost(Duration.ofSeconds(60)).until(() -> pool.live() == 2);
            assertThat(pool.stop(Duration.ofSeconds(10))).isTrue();
        }
    }
}
