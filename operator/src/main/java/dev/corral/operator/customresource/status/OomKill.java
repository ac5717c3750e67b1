package dev.corral.operator.customresource.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One OOM kill of a WebApp's container, as the kubelet reported it. */
public class OomKill {
    @JsonPropertyDescription("The pod whose container was killed.")
    private String pod;

    @JsonPropertyDescription("The container that was killed.")
    private String container;

    @JsonPropertyDescription("When it was killed (RFC 3339).")
    private String time;

    public OomKill() {
    }

    public OomKill(String pod, String container, String time) {
        this.pod = pod;
        this.container = container;
        this.time = time;
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
