package dev.corral.operator.status;

import dev.corral.operator.autoscaling.Quota;
import dev.corral.operator.autoscaling.QuotaChange;
import dev.corral.operator.autoscaling.QuotaDecision;
import dev.corral.operator.autoscaling.QuotaPlan;
import dev.corral.operator.autoscaling.QuotaState;
import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.observer.Observation;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.WebAppSpec;
import dev.corral.operator.customresource.status.OomKill;
import dev.corral.operator.customresource.status.WebAppStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusDerivationTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static WebApp webApp(int replicas, long generation) {
        WebApp webApp = new WebApp();
        webApp.setMetadata(new ObjectMetaBuilder().withName("hello").withNamespace("shop").withGeneration(generation).build());
        WebAppSpec spec = new WebAppSpec();
        spec.setReplicas(replicas);
        BundleSource bundle = new BundleSource();
        bundle.setInline(Map.of("app.py", ""));
        spec.setBundle(bundle);
        webApp.setSpec(spec);
        return webApp;
    }

    private static Deployment deployment(long generation, long observed, int replicas, int updated, int ready) {
        return new DeploymentBuilder().withNewMetadata().withName("hello").withGeneration(generation).endMetadata()
                .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                .withReadyReplicas(ready).endStatus().build();
    }

    private static Pod oomKilledPod(String name, Instant finished) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewContainerStatus().withName("server").withRestartCount(1)
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withFinishedAt(finished.toString()).endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
    }

    private static Condition condition(WebAppStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void readyWhenEveryPodOfTheCurrentSpecIsReady() {
        WebAppStatus status = StatusDerivation.derive(webApp(2, 3), deployment(5, 5, 2, 2, 2), List.of(), T0);
        assertThat(status.getObservedGeneration()).isEqualTo(3);
        assertThat(status.getReadyReplicas()).isEqualTo(2);
        assertThat(status.getSelector()).isEqualTo("app.kubernetes.io/name=corral-server,app.kubernetes.io/instance=hello");
        assertThat(status.getUrl()).isEqualTo("http://hello.shop.svc/");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("AllReplicasReady");
        assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
        assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("Ready", "Progressing", "Degraded");
    }

    @Test
    void progressingWhileARolloutIsUnderWay() {
        WebAppStatus rolling = StatusDerivation.derive(webApp(3, 1), deployment(2, 2, 4, 1, 3), List.of(), T0);
        assertThat(condition(rolling, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(rolling, "Progressing").getReason()).isEqualTo("RollingOut");
        assertThat(condition(rolling, "Progressing").getMessage()).isEqualTo("1 of 3 pods run the current spec");
        WebAppStatus stale = StatusDerivation.derive(webApp(1, 1), deployment(2, 1, 1, 1, 1), List.of(), T0);
        assertThat(condition(stale, "Ready").getStatus()).as("the Deployment has not seen its new spec yet").isEqualTo("False");
        WebAppStatus missing = StatusDerivation.derive(webApp(1, 1), null, List.of(), T0);
        assertThat(condition(missing, "Ready").getMessage()).isEqualTo("0 of 1 pods ready");
    }

    @Test
    void transitionTimesMoveOnlyOnRealFlips() {
        WebApp app = webApp(1, 1);
        app.setStatus(StatusDerivation.derive(app, deployment(1, 1, 1, 0, 0), List.of(), T0));
        app.setStatus(StatusDerivation.derive(app, deployment(1, 1, 1, 0, 0), List.of(), T0.plusSeconds(30)));
        assertThat(condition(app.getStatus(), "Ready").getLastTransitionTime()).isEqualTo(T0.toString());
        app.setStatus(StatusDerivation.derive(app, deployment(1, 1, 1, 1, 1), List.of(), T0.plusSeconds(60)));
        assertThat(condition(app.getStatus(), "Ready").getLastTransitionTime()).isEqualTo(T0.plusSeconds(60).toString());
        assertThat(condition(app.getStatus(), "Degraded").getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void oomKillsAreFoundOnceByPodContainerAndRestartCount() {
        // Two pods killed in the same second (the API server keeps seconds only) are two kills.
        List<Pod> pods = List.of(oomKilledPod("hello-a", T0), oomKilledPod("hello-b", T0),
                new PodBuilder().withNewMetadata().withName("hello-c").endMetadata().withNewStatus().endStatus().build());
        List<OomKill> all = OomKills.uncounted(pods, List.of());
        assertThat(all).extracting(OomKill::key).containsExactly("hello-a/server#1", "hello-b/server#1");
        assertThat(OomKills.uncounted(pods, List.of("hello-a/server#1"))).extracting(OomKill::getPod).containsExactly("hello-b");
        assertThat(OomKills.uncounted(pods, OomKills.counted(List.of(), all))).isEmpty();
    }

    @Test
    void countedKillsKeepTheNewestSixtyFour() {
        List<OomKill> many = new java.util.ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add(new OomKill("hello-" + i, "server", T0.plusSeconds(i).toString(), 1));
        }
        List<String> counted = OomKills.counted(List.of("old/server#3"), many);
        assertThat(counted).hasSize(64).doesNotContain("old/server#3", "hello-0/server#1").endsWith("hello-69/server#1");
    }

    @Test
    void oneKillIsCountedAndRepeatedKillsDegradeUntilTheWindowPassesQuietly() {
        WebApp app = webApp(2, 1);
        Deployment ok = deployment(1, 1, 2, 2, 2);
        OomKill first = new OomKill("hello-a", "server", T0.toString(), 1);
        app.setStatus(StatusDerivation.derive(app, ok, List.of(first), T0.plusSeconds(5)));
        assertThat(app.getStatus().getOomKills()).isEqualTo(1);
        assertThat(app.getStatus().getLastOOMKill().getPod()).isEqualTo("hello-a");
        assertThat(condition(app.getStatus(), "Degraded").getStatus()).as("one kill is not a pattern").isEqualTo("False");

        OomKill second = new OomKill("hello-b", "server", T0.plusSeconds(120).toString(), 1);
        app.setStatus(StatusDerivation.derive(app, ok, List.of(second), T0.plusSeconds(125)));
        assertThat(app.getStatus().getOomKills()).isEqualTo(2);
        Condition degraded = condition(app.getStatus(), "Degraded");
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("RepeatedOOMKills");
        assertThat(degraded.getMessage()).contains("pod hello-b");

        app.setStatus(StatusDerivation.derive(app, ok, List.of(), T0.plusSeconds(300)));
        assertThat(condition(app.getStatus(), "Degraded").getStatus()).as("still within the window").isEqualTo("True");
        app.setStatus(StatusDerivation.derive(app, ok, List.of(), T0.plusSeconds(120 + 601)));
        assertThat(condition(app.getStatus(), "Degraded").getStatus()).isEqualTo("False");
        assertThat(app.getStatus().getOomKills()).isEqualTo(2);
    }

    @Test
    void aMissingBundleConfigMapDegradesAndExplainsANotReadyWebAppButNotOneWhosePodsServe() {
        WebApp starting = webApp(2, 1);
        WebAppStatus status = StatusDerivation.derive(starting, null, List.of(), T0);
        StatusDerivation.bundleNotFound(status, "shop-code", "shop", T0);
        assertThat(condition(status, "Ready").getReason()).isEqualTo("BundleNotFound");
        assertThat(condition(status, "Ready").getMessage()).contains("ConfigMap shop-code", "namespace shop", "create it");
        assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Degraded").getReason()).isEqualTo("BundleNotFound");

        WebApp serving = webApp(2, 1);
        WebAppStatus still = StatusDerivation.derive(serving, deployment(1, 1, 2, 2, 2), List.of(), T0);
        StatusDerivation.bundleNotFound(still, "shop-code", "shop", T0);
        assertThat(condition(still, "Ready").getStatus()).as("its pods still serve the bundle they mounted").isEqualTo("True");
        assertThat(condition(still, "Degraded").getMessage()).contains("running pods keep the bundle they mounted");
    }

    @Test
    void aDegradedBundleDoesNotTurnALaterSingleOomKillIntoRepeatedKills() {
        WebApp app = webApp(2, 1);
        Deployment ok = deployment(1, 1, 2, 2, 2);
        WebAppStatus missing = StatusDerivation.derive(app, ok, List.of(), T0);
        StatusDerivation.bundleNotFound(missing, "shop-code", "shop", T0);
        app.setStatus(missing);

        OomKill only = new OomKill("hello-a", "server", T0.plusSeconds(10).toString(), 1);
        app.setStatus(StatusDerivation.derive(app, ok, List.of(only), T0.plusSeconds(15)));
        assertThat(condition(app.getStatus(), "Degraded").getStatus()).as("one kill, and the ConfigMap is back").isEqualTo("False");
        assertThat(condition(app.getStatus(), "Degraded").getReason()).isEqualTo("Healthy");
    }

    @Test
    void oneStatusFromTheObservationAndThePlan() {
        WebApp app = webApp(1, 2);
        Observation seen = new Observation(T0, deployment(1, 1, 1, 1, 1), List.of(), "h", Optional.of("shop-code"), Optional.empty(), List.of(), 0,
                Optional.empty());
        QuotaState raised = new QuotaState(Quota.of("500m", "384Mi"), "b", 1, 0, T0, null, 1, null);
        QuotaPlan plan = new QuotaPlan(new QuotaDecision(raised, List.of(new QuotaChange("memory", true, "256Mi", "384Mi", "an OOM kill"))),
                ApplyMethod.Rollout, null);

        WebAppStatus status = StatusDerivation.of(app, seen, Optional.of(plan));
        assertThat(status.getEffectiveResources().getMemory()).isEqualTo("384Mi");
        assertThat(status.getAutoscaling().getApplyMethod()).isEqualTo("Rollout");
        assertThat(status.getAutoscaling().getLastChange()).contains("384Mi");
        assertThat(condition(status, Conditions.MEMORY_LEAK_SUSPECTED).getStatus()).isEqualTo("False");
        assertThat(condition(status, Conditions.DEGRADED).getReason()).isEqualTo(StatusDerivation.BUNDLE_NOT_FOUND);

        // Autoscaling turned off: the spec's quota again, and no leak condition left behind.
        app.setStatus(status);
        WebAppStatus off = StatusDerivation.of(app, seen, Optional.empty());
        assertThat(off.getEffectiveResources().getMemory()).isEqualTo(app.getSpec().getResources().getMemory().toString());
        assertThat(off.getConditions()).noneMatch(c -> c.getType().equals(Conditions.MEMORY_LEAK_SUSPECTED));
    }
}
