package dev.corral.operator.reconciler;

import dev.corral.operator.testing.ApiCall;
import dev.corral.operator.testing.RealApiServer;

import dev.corral.operator.rbac.OperatorPermissions;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's API calls across the integration tests of one JVM, as the real API server's audit log
 * recorded them for the operator's ServiceAccount: none may have been refused by RBAC; and once every IT
 * class below has run all its tests, every granted verb must have been used (else the chart grants more
 * than the operator needs).
 */
final class ApiCallLog {
    /** The IT classes whose scenarios together exercise every permission. */
    private static final List<Class<?>> COVERING = List.of(WebAppReconcilerIT.class, AutoscalingIT.class);
    private static final Map<Class<?>, Integer> TESTS_RUN = new ConcurrentHashMap<>();

    private ApiCallLog() {
    }

    static void testFinished(Class<?> itClass) {
        TESTS_RUN.merge(itClass, 1, Integer::sum);
    }

    /** Called after each covering class: the allowed check always, the used check once all of them ran in full. */
    static void check(RealApiServer api) {
        Set<ApiCall> refused = api.callsBy(OperatorHarness.OPERATOR_NAMESPACE, OperatorHarness.OPERATOR_ACCOUNT, false);
        assertThat(refused).as("calls the API server's RBAC refused the operator").isEmpty();
        Set<ApiCall> calls = api.callsBy(OperatorHarness.OPERATOR_NAMESPACE, OperatorHarness.OPERATOR_ACCOUNT, true);
        assertThat(calls).as("calls the operator made").isNotEmpty();
        boolean allRan = COVERING.stream().allMatch(c -> TESTS_RUN.getOrDefault(c, 0) >= testCount(c));
        if (!allRan) {
            return;
        }
        List<ApiCall> unused = OperatorPermissions.ALL.stream()
                .flatMap(p -> p.verbs().stream().map(verb -> new ApiCall(p.group(), p.resource(), verb)))
                .filter(granted -> !calls.contains(granted))
                // JOSDK's start checks for update on leases (see selfSubjectRules); a single replica never needs it.
                .filter(granted -> !granted.equals(new ApiCall("coordination.k8s.io", "leases", "update")))
                .toList();
        assertThat(unused).as("permissions granted but never used (drop them from OperatorPermissions)").isEmpty();
    }

    private static long testCount(Class<?> itClass) {
        return Arrays.stream(itClass.getDeclaredMethods()).map(Method::getAnnotations).flatMap(Arrays::stream)
                .filter(a -> a.annotationType() == org.junit.jupiter.api.Test.class).count();
    }
}
