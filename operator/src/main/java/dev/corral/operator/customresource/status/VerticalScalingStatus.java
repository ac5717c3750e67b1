package dev.corral.operator.customresource.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the vertical autoscaler remembers between reconciles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerticalScalingStatus {
    @JsonPropertyDescription("The spec quota and policy the effective quota started from; a change resets the autoscaler.")
    private String baseline;

    @JsonPropertyDescription("How quota changes reach the pods: InPlace or Rollout.")
    private String applyMethod;

    @JsonPropertyDescription("Memory raises since the last quiet lowerAfter period.")
    private Integer memoryRaises;

    @JsonPropertyDescription("CPU raises since the last quiet lowerAfter period.")
    private Integer cpuRaises;

    @JsonPropertyDescription("When memory was last changed (RFC 3339).")
    private String lastMemoryChange;

    @JsonPropertyDescription("When CPU was last changed (RFC 3339).")
    private String lastCpuChange;

    @JsonPropertyDescription("The oomKills count already acted on.")
    private Integer oomKillsHandled;

    @JsonPropertyDescription("The last quota change and its reason.")
    private String lastChange;

    @JsonPropertyDescription("Why in-place resizing was given up (what the kubelet said of a pending resize); quota changes roll the pods until the spec or the policy changes.")
    private String inPlaceRefused;

    public String getInPlaceRefused() {
        return inPlaceRefused;
    }

    public void setInPlaceRefused(String inPlaceRefused) {
        this.inPlaceRefused = inPlaceRefused;
    }

    public String getBaseline() {
        return baseline;
    }

    public void setBaseline(String baseline) {
        this.baseline = baseline;
    }

    public String getApplyMethod() {
        return applyMethod;
    }

    public void setApplyMethod(String applyMethod) {
        this.applyMethod = applyMethod;
    }

    public Integer getMemoryRaises() {
        return memoryRaises;
    }

    public void setMemoryRaises(Integer memoryRaises) {
        this.memoryRaises = memoryRaises;
    }

    public Integer getCpuRaises() {
        return cpuRaises;
    }

    public void setCpuRaises(Integer cpuRaises) {
        this.cpuRaises = cpuRaises;
    }

    public String getLastMemoryChange() {
        return lastMemoryChange;
    }

    public void setLastMemoryChange(String lastMemoryChange) {
        this.lastMemoryChange = lastMemoryChange;
    }

    public String getLastCpuChange() {
        return lastCpuChange;
    }

    public void setLastCpuChange(String lastCpuChange) {
        this.lastCpuChange = lastCpuChange;
    }

    public Integer getOomKillsHandled() {
        return oomKillsHandled;
    }

    public void setOomKillsHandled(Integer oomKillsHandled) {
        this.oomKillsHandled = oomKillsHandled;
    }

    public String getLastChange() {
        return lastChange;
    }

    public void setLastChange(String lastChange) {
        this.lastChange = lastChange;
    }
}
