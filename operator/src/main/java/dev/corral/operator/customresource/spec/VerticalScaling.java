package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** Vertical autoscaling: the operator moves the pods' CPU and memory quota within bounds, after OOM kills, sustained throttling or sustained low use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "quantity(string(self.minMemory)).compareTo(quantity(string(self.maxMemory))) <= 0", message = "autoscaling.vertical.minMemory must not exceed maxMemory")
@ValidationRule(value = "quantity(string(self.minCpu)).compareTo(quantity(string(self.maxCpu))) <= 0", message = "autoscaling.vertical.minCpu must not exceed maxCpu")
@ValidationRule(value = "self.raiseFactor <= self.maxFactor", message = "autoscaling.vertical.raiseFactor must not exceed maxFactor")
public class VerticalScaling {
    @Default("true")
    @JsonPropertyDescription("Adjust quotas automatically.")
    private Boolean enabled = true;

    @Default("250m")
    @JsonPropertyDescription("Never below this CPU quota per pod.")
    private Quantity minCpu = new Quantity("250m");

    @Default("4")
    @JsonPropertyDescription("Never above this CPU quota per pod.")
    private Quantity maxCpu = new Quantity("4");

    @Default("256Mi")
    @JsonPropertyDescription("Never below this memory limit per pod.")
    private Quantity minMemory = new Quantity("256Mi");

    @Default("4Gi")
    @JsonPropertyDescription("Never above this memory limit per pod; OOM kills here suggest a leak rather than a low quota.")
    private Quantity maxMemory = new Quantity("4Gi");

    @Default("250m")
    @JsonPropertyDescription("The least a CPU raise adds.")
    private Quantity cpuStep = new Quantity("250m");

    @Default("256Mi")
    @JsonPropertyDescription("The least a memory raise adds.")
    private Quantity memoryStep = new Quantity("256Mi");

    @Default("1.5")
    @Min(1.0)
    @Max(4.0)
    @JsonPropertyDescription("A raise multiplies the quota by this (or adds the step, whichever is more).")
    private Double raiseFactor = 1.5;

    @Default("2.0")
    @Min(1.0)
    @Max(8.0)
    @JsonPropertyDescription("One raise never more than multiplies the quota by this.")
    private Double maxFactor = 2.0;

    @Default("5m")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    @JsonPropertyDescription("Least time between two raises of one resource; doubles with each further raise (exponential backoff).")
    private String cooldown = "5m";

    @Default("3")
    @Min(1)
    @Max(20)
    @JsonPropertyDescription("Memory raises in a row (without a quiet lowerAfter period) before further OOM kills mean MemoryLeakSuspected instead of another raise.")
    private Integer maxRaises = 3;

    @Default("0.25")
    @Min(0.01)
    @Max(1.0)
    @JsonPropertyDescription("Fraction of CPU periods throttled, sustained for sustainFor, that raises the CPU quota.")
    private Double throttlingThreshold = 0.25;

    @Default("5m")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    @JsonPropertyDescription("How long throttling must last before the CPU quota is raised.")
    private String sustainFor = "5m";

    @Default("0.3")
    @Min(0.0)
    @Max(2.0)
    @JsonPropertyDescription("A lowered quota stays at least this fraction above the observed peak.")
    private Double headroom = 0.3;

    @Default("1h")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    @JsonPropertyDescription("Quotas are lowered only after this long without a raise, and from the peak over this long.")
    private String lowerAfter = "1h";

    @Default("Auto")
    @JsonPropertyDescription("How a new quota reaches running pods: InPlace (pod resize, Kubernetes 1.33+), Rollout (a Deployment rollout within the PDB), or Auto (InPlace where the cluster supports it).")
    private ApplyMethod apply = ApplyMethod.Auto;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Quantity getMinCpu() {
        return minCpu;
    }

    public void setMinCpu(Quantity minCpu) {
        this.minCpu = minCpu;
    }

    public Quantity getMaxCpu() {
        return maxCpu;
    }

    public void setMaxCpu(Quantity maxCpu) {
        this.maxCpu = maxCpu;
    }

    public Quantity getMinMemory() {
        return minMemory;
    }

    public void setMinMemory(Quantity minMemory) {
        this.minMemory = minMemory;
    }

    public Quantity getMaxMemory() {
        return maxMemory;
    }

    public void setMaxMemory(Quantity maxMemory) {
        this.maxMemory = maxMemory;
    }

    public Quantity getCpuStep() {
        return cpuStep;
    }

    public void setCpuStep(Quantity cpuStep) {
        this.cpuStep = cpuStep;
    }

    public Quantity getMemoryStep() {
        return memoryStep;
    }

    public void setMemoryStep(Quantity memoryStep) {
        this.memoryStep = memoryStep;
    }

    public Double getRaiseFactor() {
        return raiseFactor;
    }

    public void setRaiseFactor(Double raiseFactor) {
        this.raiseFactor = raiseFactor;
    }

    public Double getMaxFactor() {
        return maxFactor;
    }

    public void setMaxFactor(Double maxFactor) {
        this.maxFactor = maxFactor;
    }

    public String getCooldown() {
        return cooldown;
    }

    public void setCooldown(String cooldown) {
        this.cooldown = cooldown;
    }

    public Integer getMaxRaises() {
        return maxRaises;
    }

    public void setMaxRaises(Integer maxRaises) {
        this.maxRaises = maxRaises;
    }

    public Double getThrottlingThreshold() {
        return throttlingThreshold;
    }

    public void setThrottlingThreshold(Double throttlingThreshold) {
        this.throttlingThreshold = throttlingThreshold;
    }

    public String getSustainFor() {
        return sustainFor;
    }

    public void setSustainFor(String sustainFor) {
        this.sustainFor = sustainFor;
    }

    public Double getHeadroom() {
        return headroom;
    }

    public void setHeadroom(Double headroom) {
        this.headroom = headroom;
    }

    public String getLowerAfter() {
        return lowerAfter;
    }

    public void setLowerAfter(String lowerAfter) {
        this.lowerAfter = lowerAfter;
    }

    public ApplyMethod getApply() {
        return apply;
    }

    public void setApply(ApplyMethod apply) {
        this.apply = apply;
    }
}
