package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.Map;

/** Where a WebApp's bundle comes from; exactly one source is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.inline), has(self.configMapRef), has(self.image)].filter(x, x).size() == 1",
        message = "set exactly one of bundle.inline, bundle.configMapRef and bundle.image")
public class BundleSource {
    @JsonPropertyDescription("Bundle files by path (e.g. app.py); the operator keeps them in a ConfigMap it owns. Small bundles only (1 MiB in all).")
    private Map<String, String> inline;

    @JsonPropertyDescription("An existing ConfigMap whose keys are the bundle's file names.")
    private ConfigMapBundle configMapRef;

    @JsonPropertyDescription("An OCI image holding the bundle; an init container copies it into a volume the server reads.")
    private ImageBundle image;

    public Map<String, String> getInline() {
        return inline;
    }

    public void setInline(Map<String, String> inline) {
        this.inline = inline;
    }

    public ConfigMapBundle getConfigMapRef() {
        return configMapRef;
    }

    public void setConfigMapRef(ConfigMapBundle configMapRef) {
        this.configMapRef = configMapRef;
    }

    public ImageBundle getImage() {
        return image;
    }

    public void setImage(ImageBundle image) {
        this.image = image;
    }
}
