package dev.corral.operator.customresource.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One OOM kill of a WebApp's container, as the kubelet reported it. */
public class OomKill {
    @JsonPropertyDescription("The pod whose container was killed.")
    private String pod;

    @JsonPropertyDescription("The container that was killed.")
    private String container;

    @JsonPropertyDescription("When it was killed (RFC 3339, to the second as the kubelet reports it).")
    private String time;

    @JsonPropertyDescription("The container's restart count after the kill: with pod and container, what tells one kill from another.")
    private Integer restartCount;

    public OomKill() {
    }

    public OomKill(String pod, String container, String time, Integer restartCount) {
        this.pod = pod;
        this.container = container;
        this.time = time;
        this.restartCount = restartCount;
    }

    public Integer getRestartCount() {
        return restartCount;
    }

    public void setRestartCount(Integer restartCount) {
        this.restartCount = restartCount;
    }

    /** What identifies this kill: two kills in the same second, in different pods or restarts, stay two. */
    public String key() {
        return pod + "/" + container + "#" + restartCount;
    }

    public String getPod() {
        return pod;
    }

    public void setPod(String pod) {
        this.pod = pod;
    }

    public String getContainer() {
        return container;
    }

    public void setContainer(String container) {
        this.container = container;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }
}
