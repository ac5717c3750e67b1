package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** Pod placement and identity, copied onto the pod template as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Placement {
    @JsonPropertyDescription("Node labels the pods must run on.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Taints the pods tolerate.")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Node and pod affinity of the pods.")
    private Affinity affinity;

    @JsonPropertyDescription("Service account the pods run as; the namespace's default when empty.")
    private String serviceAccountName;

    @JsonPropertyDescription("Secrets for pulling the server and bundle images.")
    private List<LocalObjectReference> imagePullSecrets;

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }
}
