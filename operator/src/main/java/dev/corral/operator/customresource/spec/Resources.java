package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The pod's cgroup quota: the server container's limits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.cpu) || quantity(string(self.cpu)).isGreaterThan(quantity('0'))", message = "resources.cpu must be a positive quantity such as 500m or 2")
@ValidationRule(value = "!has(self.memory) || quantity(string(self.memory)).compareTo(quantity('128Mi')) >= 0",
        message = "resources.memory must be a quantity of at least 128Mi, such as 512Mi or 1Gi")
public class Resources {
    @Default("1")
    @JsonPropertyDescription("CPU quota per pod (cores), e.g. 500m or 2.")
    private Quantity cpu = new Quantity("1");

    @Default("1Gi")
    @JsonPropertyDescription("Memory limit per pod; past it the kernel OOM-kills the pod's server, and only it.")
    private Quantity memory = new Quantity("1Gi");

    @Default("true")
    @JsonPropertyDescription("Set requests equal to limits (Guaranteed QoS). When false, requests are half the limits.")
    private Boolean guaranteed = true;

    public Quantity getCpu() {
        return cpu;
    }

    public void setCpu(Quantity cpu) {
        this.cpu = cpu;
    }

    public Quantity getMemory() {
        return memory;
    }

    public void setMemory(Quantity memory) {
        this.memory = memory;
    }

    public Boolean getGuaranteed() {
        return guaranteed;
    }

    public void setGuaranteed(Boolean guaranteed) {
        this.guaranteed = guaranteed;
    }
}
