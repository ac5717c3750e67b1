package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

import java.util.ArrayList;
import java.util.List;

/** What the user asks for: pods, their quota, the bundle they serve and how it is exposed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebAppSpec {
    @SpecReplicas
    @Min(0)
    @Max(1000)
    @Default("1")
    @JsonPropertyDescription("Number of server pods. The scale subresource sets this, so kubectl scale and an HPA work.")
    private Integer replicas = 1;

    @JsonPropertyDescription("Server image; empty means the operator's default image.")
    private String image;

    @Required
    @JsonPropertyDescription("Where the Python handler bundle comes from: exactly one of inline, configMapRef or image.")
    private BundleSource bundle;

    @Pattern("^[A-Za-z_][A-Za-z0-9_.]*(:[A-Za-z_][A-Za-z0-9_]*)?$")
    @JsonPropertyDescription("The WSGI callable as module:callable; defaults to the bundle manifest's, else app:application.")
    private String entrypoint;

    @JsonPropertyDescription("The pod's cgroup quota (container limits). Requests equal limits unless said otherwise, for Guaranteed QoS.")
    private Resources resources = new Resources();

    @JsonPropertyDescription("Per-request budgets passed to the server; a request past one fails alone with 503 or 504.")
    private RequestBudgetSpec requestBudget;

    @Min(1)
    @Max(256)
    @JsonPropertyDescription("Python workers per pod; by default derived from the CPU quota (at least 2).")
    private Integer workers;

    @JsonPropertyDescription("Environment variables of the server container; they reach Python only when named in CORRAL_ENV_PASS.")
    private List<EnvVar> env = new ArrayList<>();

    @JsonPropertyDescription("Where the application may connect (databases, HTTP APIs); every other connect fails with PermissionError and is"
            + " dropped by the WebApp's NetworkPolicy. Empty: no connections at all.")
    private List<EgressRule> egress = new ArrayList<>();

    @JsonPropertyDescription("How the pods are exposed inside the cluster.")
    private ServiceSpec service = new ServiceSpec();

    @JsonPropertyDescription("Where the pods may run and with which identity.")
    private Placement placement;

    @JsonPropertyDescription("Quota (vertical) and replica (horizontal) autoscaling; off when absent.")
    private Autoscaling autoscaling;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public BundleSource getBundle() {
        return bundle;
    }

    public void setBundle(BundleSource bundle) {
        this.bundle = bundle;
    }

    public String getEntrypoint() {
        return entrypoint;
    }

    public void setEntrypoint(String entrypoint) {
        this.entrypoint = entrypoint;
    }

    public Resources getResources() {
        return resources;
    }

    public void setResources(Resources resources) {
        this.resources = resources;
    }

    public RequestBudgetSpec getRequestBudget() {
        return requestBudget;
    }

    public void setRequestBudget(RequestBudgetSpec requestBudget) {
        this.requestBudget = requestBudget;
    }

    public Integer getWorkers() {
        return workers;
    }

    public void setWorkers(Integer workers) {
        this.workers = workers;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<EgressRule> getEgress() {
        return egress;
    }

    public void setEgress(List<EgressRule> egress) {
        this.egress = egress;
    }

    public ServiceSpec getService() {
        return service;
    }

    public void setService(ServiceSpec service) {
        this.service = service;
    }

    public Placement getPlacement() {
        return placement;
    }

    public void setPlacement(Placement placement) {
        this.placement = placement;
    }

    public Autoscaling getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(Autoscaling autoscaling) {
        this.autoscaling = autoscaling;
    }
}
