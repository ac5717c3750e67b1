package dev.corral.operator.status;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.WebAppSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the operator cannot honour in a WebApp's spec, said so the user knows what to fix. The CRD's
 * schema and CEL rules catch most of this at admission; this catches the rest (and clusters or
 * clients that skip CEL), so a bad spec becomes Ready=False/InvalidSpec instead of a crash loop.
 */
public final class SpecValidation {
    /** A ConfigMap holds at most 1 MiB; leave room for metadata. */
    static final int MAX_INLINE_BYTES = 900 * 1024;
    private static final BigDecimal MIN_MEMORY = BigDecimal.valueOf(128L << 20);

    private SpecValidation() {
    }

    /** Every problem found; empty when the spec can be honoured. */
    public static List<String> problems(WebApp webApp) {
        List<String> problems = new ArrayList<>();
        WebAppSpec spec = webApp.getSpec();
        if (spec == null) {
            problems.add("spec is missing");
            return problems;
        }
        if (spec.getReplicas() == null || spec.getReplicas() < 0) {
            problems.add("spec.replicas must be 0 or more");
        }
        BundleSource bundle = spec.getBundle();
        int sources = bundle == null ? 0 : (bundle.getInline() != null ? 1 : 0) + (bundle.getConfigMapRef() != null ? 1 : 0)
                + (bundle.getImage() != null ? 1 : 0);
        if (sources != 1) {
            problems.add("spec.bundle must set exactly one of inline, configMapRef and image (found " + sources + ")");
        } else if (bundle.getInline() != null) {
            long bytes = 0;
            for (Map.Entry<String, String> file : bundle.getInline().entrySet()) {
                bytes += file.getKey().getBytes(StandardCharsets.UTF_8).length + file.getValue().getBytes(StandardCharsets.UTF_8).length;
                if (file.getKey().startsWith("/") || file.getKey().contains("..") || file.getKey().isBlank()) {
                    problems.add("spec.bundle.inline path '" + file.getKey() + "' must be relative and stay inside the bundle");
                }
            }
            if (bytes > MAX_INLINE_BYTES) {
                problems.add("spec.bundle.inline holds " + (bytes >> 10) + " KiB; inline bundles are limited to "
                        + (MAX_INLINE_BYTES >> 10) + " KiB (a ConfigMap's size): use configMapRef or image");
            }
        } else if (bundle.getConfigMapRef() != null && isBlank(bundle.getConfigMapRef().getName())) {
            problems.add("spec.bundle.configMapRef.name is empty");
        } else if (bundle.getImage() != null && isBlank(bundle.getImage().getReference())) {
            problems.add("spec.bundle.image.reference is empty");
        }
        if (spec.getResources() != null) {
            problems.addAll(quantity("spec.resources.cpu", spec.getResources().getCpu(), BigDecimal.ZERO, "a positive CPU quantity such as 500m"));
            problems.addAll(quantity("spec.resources.memory", spec.getResources().getMemory(), MIN_MEMORY, "at least 128Mi"));
        }
        if (spec.getAutoscaling() != null) {
            problems.addAll(AutoscalingValidation.problems(spec.getAutoscaling()));
        }
        if (spec.getEgress() != null) {
            problems.addAll(EgressValidation.problems(spec.getEgress()));
        }
        return problems;
    }

    private static List<String> quantity(String field, Quantity value, BigDecimal floor, String expected) {
        if (value == null) {
            return List.of();
        }
        try {
            BigDecimal amount = Quantity.getAmountInBytes(value);
            if (amount.compareTo(floor) > 0 || (floor.signum() > 0 && amount.compareTo(floor) == 0)) {
                return List.of();
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            // reported below
        }
        return List.of(field + " is '" + value + "'; expected " + expected);
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
