package dev.corral.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place WebApp conditions are built, as Strimzi does: reasons are single CamelCase words and
 * {@code lastTransitionTime} moves only when a condition's status really flips.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String MEMORY_LEAK_SUSPECTED = "MemoryLeakSuspected";

    private Conditions() {
    }

    /** The conditions after setting one: others are kept, and an unchanged status keeps its transition time. */
    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason, String message,
                                      long observedGeneration, Instant now) {
        List<Condition> next = new ArrayList<>();
        Condition previous = null;
        for (Condition c : current == null ? List.<Condition>of() : current) {
            if (c.getType().equals(type)) {
                previous = c;
            } else {
                next.add(c);
            }
        }
        String value = status ? "True" : "False";
        String transition = previous != null && value.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime()
                : now.toString();
        next.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withObservedGeneration(observedGeneration).withLastTransitionTime(transition).build());
        next.sort((a, b) -> order(a.getType()) - order(b.getType()));
        return next;
    }

    /** The conditions without one type. */
    public static List<Condition> remove(List<Condition> current, String type) {
        return current == null ? new ArrayList<>() : new ArrayList<>(current.stream().filter(c -> !c.getType().equals(type)).toList());
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream().anyMatch(c -> c.getType().equals(type) && "True".equals(c.getStatus()));
    }

    /** True when the condition is set to True for the given reason. */
    public static boolean isTrue(List<Condition> conditions, String type, String reason) {
        return conditions != null && conditions.stream().anyMatch(c -> c.getType().equals(type) && "True".equals(c.getStatus())
                && reason.equals(c.getReason()));
    }

    private static int order(String type) {
        return switch (type) {
            case READY -> 0;
            case PROGRESSING -> 1;
            case DEGRADED -> 2;
            case MEMORY_LEAK_SUSPECTED -> 3;
            default -> 4;
        };
    }
}
