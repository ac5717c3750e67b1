package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** The Service in front of the WebApp's pods. */
public class ServiceSpec {
    @Pattern("^(ClusterIP|NodePort|LoadBalancer)$")
    @Default("ClusterIP")
    @JsonPropertyDescription("Service type: ClusterIP, NodePort or LoadBalancer.")
    private String type = "ClusterIP";

    @Min(1)
    @Max(65535)
    @Default("80")
    @JsonPropertyDescription("Port the Service listens on; it forwards to the server's HTTP port.")
    private Integer port = 80;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }
}
