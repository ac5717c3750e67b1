package dev.corral.operator.rbac;

import java.util.Set;

/**
 * One RBAC rule the operator needs: verbs on a resource (with its subresource, if any) of an API group.
 *
 * @param group    API group, "" for the core group
 * @param resource plural resource name, with "/subresource" where it is one (e.g. "webapps/status")
 * @param verbs    the verbs the operator uses on it
 * @param scope    where the rule must hold
 * @param why      what the operator does with it, shown in the chart and the docs
 */
public record ApiPermission(String group, String resource, Set<String> verbs, Scope scope, String why) {
    /** Where a permission must hold. */
    public enum Scope {
        /** In every namespace holding WebApps: cluster-wide, or each watched namespace. */
        WATCHED_NAMESPACES,
        /** Only in the operator's own namespace (its leader-election Lease). */
        OPERATOR_NAMESPACE
    }

    public ApiPermission {
        verbs = Set.copyOf(verbs);
    }

    /** True when this rule allows the verb on the resource. */
    public boolean allows(String group, String resource, String verb) {
        return this.group.equals(group) && this.resource.equals(resource) && verbs.contains(verb);
    }
}
