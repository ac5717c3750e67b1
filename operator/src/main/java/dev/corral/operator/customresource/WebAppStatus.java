package dev.corral.operator.customresource;

/** What the operator observed; the operator issue adds conditions, replicas and OOM kills. */
public class WebAppStatus {
    /** The metadata.generation this status describes. */
    private Long observedGeneration;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
