package dev.corral.operator.status;

import dev.corral.operator.autoscaling.VerticalPolicy;
import dev.corral.operator.customresource.spec.Autoscaling;
import dev.corral.operator.customresource.spec.HorizontalScaling;
import dev.corral.operator.customresource.spec.VerticalScaling;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.ArrayList;
import java.util.List;

/**
 * What the CRD's schema and CEL rules refuse in spec.autoscaling, checked again by the operator: a
 * cluster without CEL (or an object stored before the rules) still gets a clear InvalidSpec.
 */
final class AutoscalingValidation {
    private AutoscalingValidation() {
    }

    static List<String> problems(Autoscaling autoscaling) {
        List<String> problems = new ArrayList<>();
        VerticalScaling vertical = autoscaling.getVertical();
        if (vertical != null) {
            bounds(problems, "cpu", vertical.getMinCpu(), vertical.getMaxCpu());
            bounds(problems, "memory", vertical.getMinMemory(), vertical.getMaxMemory());
            if (vertical.getRaiseFactor() != null && vertical.getMaxFactor() != null
                    && (vertical.getRaiseFactor() < 1 || vertical.getRaiseFactor() > vertical.getMaxFactor())) {
                problems.add("spec.autoscaling.vertical.raiseFactor must be from 1 to maxFactor (" + vertical.getMaxFactor() + ")");
            }
            for (String[] duration : new String[][]{{"cooldown", vertical.getCooldown()}, {"sustainFor", vertical.getSustainFor()},
                    {"lowerAfter", vertical.getLowerAfter()}}) {
                try {
                    VerticalPolicy.duration(duration[1]);
                } catch (IllegalArgumentException e) {
                    problems.add("spec.autoscaling.vertical." + duration[0] + ": " + e.getMessage());
                }
            }
        }
        HorizontalScaling horizontal = autoscaling.getHorizontal();
        if (horizontal != null) {
            if (horizontal.getMaxReplicas() == null) {
                problems.add("spec.autoscaling.horizontal.maxReplicas is required");
            } else if (horizontal.getMinReplicas() != null && horizontal.getMaxReplicas() < horizontal.getMinReplicas()) {
                problems.add("spec.autoscaling.horizontal.maxReplicas (" + horizontal.getMaxReplicas()
                        + ") must be at least minReplicas (" + horizontal.getMinReplicas() + ")");
            }
        }
        return problems;
    }

    private static void bounds(List<String> problems, String resource, Quantity min, Quantity max) {
        try {
            if (min != null && max != null && Quantity.getAmountInBytes(min).compareTo(Quantity.getAmountInBytes(max)) > 0) {
                problems.add("spec.autoscaling.vertical.min" + (resource.equals("cpu") ? "Cpu" : "Memory") + " (" + min + ") exceeds max" + (resource.equals("cpu") ? "Cpu" : "Memory") + " (" + max + ")");
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            problems.add("spec.autoscaling.vertical " + resource + " bounds are not quantities");
        }
    }
}
