package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A bundle shipped as an OCI image, copied out by an init container (the sidecar-style pod). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageBundle {
    @Required
    @JsonPropertyDescription("Image reference, e.g. registry.example.com/shop/web:1.4.2; a digest pins it.")
    private String reference;

    @Pattern("^/.*")
    @Default("/bundle")
    @JsonPropertyDescription("Directory inside the image that holds the bundle.")
    private String path = "/bundle";

    public String getReference() {
        return reference;
    }

    public void setReference(String reference) {
        this.reference = reference;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }
}
