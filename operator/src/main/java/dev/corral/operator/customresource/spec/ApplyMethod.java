package dev.corral.operator.customresource.spec;

/** How a changed quota reaches running pods. */
public enum ApplyMethod {
    /** InPlace where the cluster supports in-place pod resize (Kubernetes 1.33+), else Rollout. */
    Auto,
    /** Resize running pods through the pods/resize subresource; no restarts. */
    InPlace,
    /** Roll the Deployment, one pod at a time within the PodDisruptionBudget. */
    Rollout
}
