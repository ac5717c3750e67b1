package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One destination the WebApp's code may connect to: a host name or an address range, and a port or port range. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.host) != has(self.cidr)", message = "an egress rule names exactly one of host or cidr")
@ValidationRule(value = "!has(self.endPort) || self.endPort >= self.port", message = "an egress rule's endPort must not be below its port")
public class EgressRule {
    @Pattern("^([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?$|^[0-9.]+$|^[0-9A-Fa-f:.]+$")
    @JsonPropertyDescription("A DNS name (e.g. postgres.db.svc.cluster.local), resolved by the server at each connect, or one IP address.")
    private String host;

    @Pattern("^[0-9.]+/[0-9]{1,2}$|^[0-9A-Fa-f:.]+/[0-9]{1,3}$")
    @JsonPropertyDescription("An address range in CIDR form, e.g. 10.0.0.0/8; never reaches link-local (metadata) addresses, the node or the API server.")
    private String cidr;

    @Required
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("The destination port (TCP; the server also allows UDP datagrams to it).")
    private Integer port;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("With port, a range of ports up to and including this one.")
    private Integer endPort;

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getCidr() {
        return cidr;
    }

    public void setCidr(String cidr) {
        this.cidr = cidr;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getEndPort() {
        return endPort;
    }

    public void setEndPort(Integer endPort) {
        this.endPort = endPort;
    }

    /** Whether {@code host} is an IP address rather than a name (the schema's patterns tell them apart this way). */
    public boolean hostIsAddress() {
        return host != null && (host.matches("[0-9.]+") || host.contains(":"));
    }

    /** As the server's --egress writes it: host:port, [v6]:port, cidr:first-last. */
    public String serverForm() {
        String target = host != null ? host : cidr;
        if (target.contains(":")) {
            target = "[" + target + "]";
        }
        return target + ":" + port + (endPort != null && !endPort.equals(port) ? "-" + endPort : "");
    }
}
