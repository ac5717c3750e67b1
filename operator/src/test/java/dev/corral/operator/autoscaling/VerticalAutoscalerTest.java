package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.customresource.spec.Autoscaling;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.VerticalScaling;
import dev.corral.operator.customresource.spec.WebAppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the autoscaler starts: which OOM kills count as handled when there is no state to go on. */
class VerticalAutoscalerTest {
    private static final Instant T0 = Instant.parse("2026-12-06T03:00:00Z");
    private final VerticalAutoscaler autoscaler = new VerticalAutoscaler(new PodMetricsScraper("admin", Clock.systemUTC()),
            new PodResizer("server"), new ResizeSupport(), Duration.ofSeconds(30));

    private static WebApp rolloutWebApp() {
        WebApp webApp = new WebApp();
        webApp.setMetadata(new ObjectMetaBuilder().withName("hello").withNamespace("shop").withUid("u1").withGeneration(1L).build());
        WebAppSpec spec = new WebAppSpec();
        BundleSource bundle = new BundleSource();
        bundle.setInline(Map.of("app.py", ""));
        spec.setBundle(bundle);
        spec.getResources().setCpu(new Quantity("500m"));
        spec.getResources().setMemory(new Quantity("512Mi"));
        VerticalScaling vertical = new VerticalScaling();
        vertical.setApply(ApplyMethod.Rollout);
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setVertical(vertical);
        spec.setAutoscaling(autoscaling);
        webApp.setSpec(spec);
        return webApp;
    }

    private static UsageObservation killed(int oomKills) {
        return new UsageObservation(T0, oomKills, false, null, -1, -1, Duration.ZERO);
    }

    @Test
    void aKillFirstSeenByAReconcileWithoutStateIsActedOn() {
        // The WebApp as read before the operator's first status write reached the cache: no state, one new kill.
        QuotaPlan plan = autoscaler.plan(rolloutWebApp(), List.of(), killed(1), 0, null);
        assertThat(plan.decision().changes()).singleElement().satisfies(c -> assertThat(c.raised()).isTrue());
        assertThat(plan.decision().state().effective().memoryText()).isEqualTo("768Mi");
    }

    @Test
    void killsCountedBeforeTheStartAreHandled() {
        QuotaPlan plan = autoscaler.plan(rolloutWebApp(), List.of(), killed(3), 3, null);
        assertThat(plan.decision().changes()).isEmpty();
        assertThat(plan.decision().state().effective().memoryText()).isEqualTo("512Mi");
        assertThat(plan.method()).isEqualTo(ApplyMethod.Rollout);
    }
}
