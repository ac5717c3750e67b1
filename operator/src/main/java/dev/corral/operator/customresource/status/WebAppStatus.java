package dev.corral.operator.customresource.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a WebApp; Ready means observedGeneration == generation and Ready=True. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebAppStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @StatusReplicas
    @JsonPropertyDescription("Pods that exist for the current spec.")
    private Integer replicas;

    @JsonPropertyDescription("Pods that pass their readiness probe.")
    private Integer readyReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the WebApp's pods, for the scale subresource and HPAs.")
    private String selector;

    @JsonPropertyDescription("Ready, Progressing and Degraded, with CamelCase reasons.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The quota each pod actually runs with (it may differ from spec while a change rolls out).")
    private EffectiveResources effectiveResources;

    @JsonPropertyDescription("In-cluster URL of the WebApp's Service.")
    private String url;

    @JsonPropertyDescription("Server containers of this WebApp OOM-killed by the kernel, counted once per restart.")
    private Integer oomKills;

    @JsonPropertyDescription("The most recent OOM kill.")
    private OomKill lastOOMKill;

    @JsonPropertyDescription("The most recent OOM kills already counted, as pod/container#restartCount (at most 64), so none is counted twice or lost.")
    private java.util.List<String> countedOOMKills;

    @JsonPropertyDescription("The vertical autoscaler's memory: raises, last changes, the OOM kills it acted on.")
    private VerticalScalingStatus autoscaling;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public EffectiveResources getEffectiveResources() {
        return effectiveResources;
    }

    public void setEffectiveResources(EffectiveResources effectiveResources) {
        this.effectiveResources = effectiveResources;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Integer getOomKills() {
        return oomKills;
    }

    public void setOomKills(Integer oomKills) {
        this.oomKills = oomKills;
    }

    public java.util.List<String> getCountedOOMKills() {
        return countedOOMKills;
    }

    public void setCountedOOMKills(java.util.List<String> countedOOMKills) {
        this.countedOOMKills = countedOOMKills;
    }

    public OomKill getLastOOMKill() {
        return lastOOMKill;
    }

    public void setLastOOMKill(OomKill lastOOMKill) {
        this.lastOOMKill = lastOOMKill;
    }

    public VerticalScalingStatus getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(VerticalScalingStatus autoscaling) {
        this.autoscaling = autoscaling;
    }
}
