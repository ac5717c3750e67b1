package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** Horizontal autoscaling: an autoscaling/v2 HorizontalPodAutoscaler, owned by the WebApp, scales it through its scale subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.maxReplicas >= self.minReplicas", message = "autoscaling.horizontal.maxReplicas must be at least minReplicas")
public class HorizontalScaling {
    @Default("true")
    @JsonPropertyDescription("Create the HorizontalPodAutoscaler.")
    private Boolean enabled = true;

    @Default("1")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Fewest pods.")
    private Integer minReplicas = 1;

    @io.fabric8.generator.annotation.Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Most pods.")
    private Integer maxReplicas;

    @Default("70")
    @Min(1)
    @Max(200)
    @JsonPropertyDescription("Average CPU use as a percentage of each pod's CPU quota that the HPA aims for.")
    private Integer targetCPUUtilization = 70;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Also aim for this many requests in flight per pod (the server's corral_http_requests_in_flight); needs a metrics adapter serving it as a pods metric.")
    private Integer targetRequestsInFlight;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getTargetCPUUtilization() {
        return targetCPUUtilization;
    }

    public void setTargetCPUUtilization(Integer targetCPUUtilization) {
        this.targetCPUUtilization = targetCPUUtilization;
    }

    public Integer getTargetRequestsInFlight() {
        return targetRequestsInFlight;
    }

    public void setTargetRequestsInFlight(Integer targetRequestsInFlight) {
        this.targetRequestsInFlight = targetRequestsInFlight;
    }
}
