package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A bundle kept in a ConfigMap of the WebApp's namespace. */
public class ConfigMapBundle {
    @Required
    @JsonPropertyDescription("Name of the ConfigMap in the WebApp's namespace.")
    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
