package dev.corral.operator.rbac;

import dev.corral.operator.rbac.ApiPermission.Scope;

import java.util.List;
import java.util.Set;

/**
 * Every API permission the operator needs, and nothing more. The chart's RBAC is checked against this
 * list, and the operator's integration tests check that every request it makes is allowed by it and
 * that every verb listed here is used.
 */
public final class OperatorPermissions {
    /**
     * Informers list then watch (reads come from their caches, so no get); server-side apply patches, and
     * needs create for an object that does not exist yet. Owned objects go with their WebApp through
     * garbage collection, so delete is granted only where the operator removes an object itself.
     */
    private static final Set<String> APPLIED = Set.of("list", "watch", "create", "patch");

    /** The rules, one per resource. */
    public static final List<ApiPermission> ALL = List.of(
            new ApiPermission("corral.dev", "webapps", Set.of("list", "watch"), Scope.WATCHED_NAMESPACES,
                    "the primary resource, watched"),
            new ApiPermission("corral.dev", "webapps/status", Set.of("patch"), Scope.WATCHED_NAMESPACES,
                    "status: conditions, effective quotas, OOM kills"),
            new ApiPermission("apps", "deployments", APPLIED, Scope.WATCHED_NAMESPACES,
                    "each WebApp's server pods"),
            new ApiPermission("", "services", APPLIED, Scope.WATCHED_NAMESPACES,
                    "each WebApp's Service"),
            new ApiPermission("", "configmaps", Set.of("get", "list", "watch", "create", "update", "patch", "delete"), Scope.WATCHED_NAMESPACES,
                    "inline bundles (JOSDK replaces a changed one with update; deleted when the bundle moves elsewhere),"
                            + " and configMapRef bundles, read once (get), labelled (patch) and watched by that label so that an edit rolls the pods"),
            new ApiPermission("policy", "poddisruptionbudgets", Set.of("list", "watch", "create", "patch", "delete"), Scope.WATCHED_NAMESPACES,
                    "a PDB while a WebApp has more than one pod, deleted at one"),
            new ApiPermission("networking.k8s.io", "networkpolicies", APPLIED, Scope.WATCHED_NAMESPACES,
                    "each WebApp's egress NetworkPolicy: only its declared destinations, DNS, nothing without spec.egress"),
            new ApiPermission("", "pods", Set.of("list", "watch"), Scope.WATCHED_NAMESPACES,
                    "server pods, watched for OOM kills"),
            new ApiPermission("", "pods/resize", Set.of("patch"), Scope.WATCHED_NAMESPACES,
                    "vertical autoscaling in place: a new quota without restarting pods (Kubernetes 1.33+)"),
            new ApiPermission("autoscaling", "horizontalpodautoscalers", Set.of("list", "watch", "create", "patch", "delete"),
                    Scope.WATCHED_NAMESPACES, "an HPA while a WebApp asks for horizontal scaling, deleted when it stops"),
            new ApiPermission("", "events", Set.of("create"), Scope.WATCHED_NAMESPACES,
                    "Warning Events on WebApps (OOM kills, invalid specs)"),
            new ApiPermission("coordination.k8s.io", "leases", Set.of("get", "create", "update", "patch"), Scope.OPERATOR_NAMESPACE,
                    "leader election between operator replicas (JOSDK will not start without update)"));

    /**
     * Calls every authenticated identity may make (Kubernetes' system:basic-user role), so the chart grants
     * nothing for them: JOSDK asks for its own rules before it runs leader election.
     */
    public static final List<ApiPermission> GRANTED_TO_EVERYONE = List.of(
            new ApiPermission("authorization.k8s.io", "selfsubjectrulesreviews", Set.of("create"), Scope.OPERATOR_NAMESPACE,
                    "JOSDK checks that it may use leases before leader election"));

    private OperatorPermissions() {
    }

    /** True when some rule allows the verb on the resource. */
    public static boolean allows(String group, String resource, String verb) {
        return java.util.stream.Stream.concat(ALL.stream(), GRANTED_TO_EVERYONE.stream()).anyMatch(p -> p.allows(group, resource, verb));
    }
}
