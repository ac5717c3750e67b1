package dev.corral.operator.customresource.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The CPU and memory limits the WebApp's pods run with. */
public class EffectiveResources {
    @JsonPropertyDescription("CPU limit per pod.")
    private String cpu;

    @JsonPropertyDescription("Memory limit per pod.")
    private String memory;

    public EffectiveResources() {
    }

    public EffectiveResources(String cpu, String memory) {
        this.cpu = cpu;
        this.memory = memory;
    }

    public String getCpu() {
        return cpu;
    }

    public void setCpu(String cpu) {
        this.cpu = cpu;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }
}
