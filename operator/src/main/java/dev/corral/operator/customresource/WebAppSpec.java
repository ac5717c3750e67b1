package dev.corral.operator.customresource;

import io.fabric8.generator.annotation.Min;

/** What the user asks for. The operator issue grows this to the full model (bundle, resources, budgets, ...). */
public class WebAppSpec {
    /** Number of server pods. */
    @Min(0)
    private Integer replicas = 1;

    /** Server image; empty means the operator's default. */
    private String image;

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
}
