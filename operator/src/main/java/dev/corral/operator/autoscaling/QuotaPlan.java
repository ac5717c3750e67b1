package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.customresource.spec.Resources;

/**
 * The vertical autoscaler's answer for one reconcile: the policy's decision and how its quota reaches the
 * pods.
 *
 * @param decision       the state to keep and the changes made
 * @param method         InPlace (running pods are resized, the template keeps the spec's quota) or Rollout
 * @param inPlaceRefused what the kubelet said when it refused an in-place resize, which keeps rollouts on; else null
 */
public record QuotaPlan(QuotaDecision decision, ApplyMethod method, String inPlaceRefused) {
    /**
     * The quota new pods start with: the effective one where changes apply by rollout (so a change rolls
     * the pods in this same reconcile), else the spec's, which in-place resizes never roll.
     */
    public Resources podResources(Resources spec) {
        if (method != ApplyMethod.Rollout) {
            return spec;
        }
        Resources effective = new Resources();
        effective.setCpu(decision.state().effective().cpuQuantity());
        effective.setMemory(decision.state().effective().memoryQuantity());
        effective.setGuaranteed(spec.getGuaranteed());
        return effective;
    }
}
