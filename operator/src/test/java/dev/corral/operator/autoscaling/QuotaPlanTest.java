package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.customresource.spec.Resources;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which quota new pods start with, by how the autoscaler's changes reach the pods. */
class QuotaPlanTest {
    private static final QuotaState RAISED = new QuotaState(Quota.of("500m", "384Mi"), "b", 1, 0, null, null, 1, null);

    private static Resources spec() {
        Resources spec = new Resources();
        spec.setCpu(new Quantity("500m"));
        spec.setMemory(new Quantity("256Mi"));
        spec.setGuaranteed(false);
        return spec;
    }

    @Test
    void byRolloutNewPodsStartWithTheEffectiveQuota() {
        Resources pods = new QuotaPlan(new QuotaDecision(RAISED, List.of()), ApplyMethod.Rollout, null).podResources(spec());
        assertThat(Quota.of(pods.getCpu(), pods.getMemory())).isEqualTo(Quota.of("500m", "384Mi"));
        assertThat(pods.getGuaranteed()).isFalse();
    }

    @Test
    void inPlaceTheTemplateKeepsTheSpecsQuotaSoNothingRolls() {
        Resources pods = new QuotaPlan(new QuotaDecision(RAISED, List.of()), ApplyMethod.InPlace, null).podResources(spec());
        assertThat(Quota.of(pods.getCpu(), pods.getMemory())).isEqualTo(Quota.of("500m", "256Mi"));
    }
}
