package dev.corral.operator.customresource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/webapp-reference.md is generated from the CRD, whose descriptions, defaults and bounds come from
 * the model's annotations; this fails when the checked-in copy drifts. Regenerate with
 * {@code ./dev mvn -pl operator test -Dtest=WebAppReferenceDocTest -Dcorral.docs.update=true}.
 */
class WebAppReferenceDocTest {
    private static final Path DOC = Path.of("../docs/webapp-reference.md");
    /** Fields typed by Kubernetes' own classes: `kubectl explain` documents those, not this page. */
    private static final Map<String, String> KUBERNETES_TYPES = Map.of(
            "spec.env", "`EnvVar` (`kubectl explain pod.spec.containers.env`)",
            "spec.placement.affinity", "`Affinity` (`kubectl explain pod.spec.affinity`)",
            "spec.placement.tolerations", "`Toleration` (`kubectl explain pod.spec.tolerations`)",
            "spec.placement.topologySpreadConstraints", "`TopologySpreadConstraint` (`kubectl explain pod.spec.topologySpreadConstraints`)",
            "status.conditions", "`Condition` (type, status, reason, message, lastTransitionTime, observedGeneration)");

    static String render() throws IOException {
        JsonNode version = new ObjectMapper(new YAMLFactory()).readTree(CrdDriftTest.GENERATED.toFile()).at("/spec/versions/0");
        JsonNode schema = version.at("/schema/openAPIV3Schema/properties");
        StringBuilder md = new StringBuilder("""
                # WebApp reference

                Generated from the CRD (itself generated from the model in `operator/.../customresource`) by
                `WebAppReferenceDocTest`; do not edit by hand. `kubectl explain webapp.spec` shows the same text.

                `apiVersion: corral.dev/%s`, `kind: WebApp`, short name `wa`. Subresources: `status`, and `scale`
                (`kubectl scale webapp NAME --replicas=N`, HPAs).

                """.formatted(version.get("name").asText()));
        for (String part : new String[]{"spec", "status"}) {
            md.append("## ").append(part).append("\n\n| field | type | default | description |\n|---|---|---|---|\n");
            rows(md, part, schema.get(part));
            md.append('\n');
        }
        JsonNode rules = version.at("/schema/openAPIV3Schema/properties/spec");
        md.append("## Validation\n\nBesides types, bounds and patterns above, the API server refuses (CEL rules):\n\n");
        rules(md, "spec", rules);
        md.append("\nThe operator checks the same again and reports `Ready=False` with reason `InvalidSpec` when a rule is broken.\n");
        return md.toString();
    }

    private static void rows(StringBuilder md, String path, JsonNode node) {
        JsonNode properties = node.get("properties");
        if (properties == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            String name = path + "." + field.getKey();
            md.append("| `").append(name).append("` | ").append(type(value)).append(" | ")
                    .append(value.has("default") ? "`" + value.get("default").asText() + "`" : "")
                    .append(" | ").append(description(value)).append(" |\n");
            if (KUBERNETES_TYPES.containsKey(name)) {
                md.append("| `").append(name).append(".…` | | | the fields of Kubernetes' ").append(KUBERNETES_TYPES.get(name)).append(" |\n");
                continue;
            }
            rows(md, name, value);
            if (value.has("items")) {
                rows(md, name + "[]", value.get("items"));
            }
            if (value.has("additionalProperties") && value.get("additionalProperties").isObject()) {
                rows(md, name + ".*", value.get("additionalProperties"));
            }
        }
    }

    private static void rules(StringBuilder md, String path, JsonNode node) {
        if (node.has("x-kubernetes-validations")) {
            for (JsonNode rule : node.get("x-kubernetes-validations")) {
                md.append("- `").append(path).append("`: ").append(rule.get("message").asText()).append('\n');
            }
        }
        if (node.has("properties")) {
            node.get("properties").fields().forEachRemaining(f -> rules(md, path + "." + f.getKey(), f.getValue()));
        }
    }

    private static String type(JsonNode node) {
        String type = node.has("type") ? node.get("type").asText() : node.has("x-kubernetes-int-or-string") ? "int or string" : "object";
        if (node.has("enum")) {
            StringBuilder values = new StringBuilder();
            node.get("enum").forEach(v -> values.append(values.isEmpty() ? "" : ", ").append(v.asText()));
            type += " (" + values + ")";
        }
        StringBuilder bounds = new StringBuilder();
        if (node.has("minimum")) {
            bounds.append(" ≥ ").append(node.get("minimum").asText());
        }
        if (node.has("maximum")) {
            bounds.append(" ≤ ").append(node.get("maximum").asText());
        }
        if (node.has("pattern")) {
            bounds.append(" matching `").append(node.get("pattern").asText().replace("|", "\\|")).append('`');
        }
        return type + bounds;
    }

    private static String description(JsonNode node) {
        return node.has("description") ? node.get("description").asText().replace("|", "\\|").replace("\n", " ") : "";
    }

    @Test
    void theReferenceIsWhatTheCrdSays() throws IOException {
        String rendered = render();
        if (Boolean.getBoolean("corral.docs.update")) {
            Files.writeString(DOC, rendered);
        }
        assertThat(DOC).as("docs/webapp-reference.md is stale; regenerate it (see this test's Javadoc)").hasContent(rendered);
        assertThat(rendered).contains("`spec.autoscaling.vertical.maxMemory`").contains("`status.effectiveResources.memory`");
    }
}
