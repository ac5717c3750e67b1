package dev.corral.operator.customresource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Example and invalid WebApps against the generated CRD's openAPIV3Schema, so schema mistakes show
 * without a cluster. (CEL rules are the API server's to evaluate; the schema part is checked here.)
 */
class WebAppSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        JsonNode crd = YAML.readTree(CrdDriftTest.GENERATED.toFile());
        JsonNode openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema");
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
    }

    private static Set<ValidationMessage> validate(Path file) throws IOException {
        return schema.validate(YAML.readTree(file.toFile()));
    }

    @Test
    void everyExampleWebAppIsValid() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.walk(Path.of("../examples"))) {
            examples = files.filter(p -> p.getFileName().toString().equals("webapp.yaml")).toList();
        }
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            assertThat(validate(example)).as(example.toString()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "negative-replicas.yaml, replicas",
            "no-bundle.yaml, bundle",
            "service-type.yaml, type",
            "budget-syntax.yaml, timeout",
            "image-without-reference.yaml, reference",
            "bad-entrypoint.yaml, entrypoint"})
    void invalidWebAppsAreRefusedNamingTheField(String file, String field) throws IOException {
        Set<ValidationMessage> errors = validate(Path.of("src/test/resources/webapps/invalid", file));
        assertThat(errors).as(file).isNotEmpty();
        assertThat(errors.toString()).as(file).contains(field);
    }
}
