package dev.corral.helm;

import dev.corral.operator.rbac.ApiPermission;
import dev.corral.operator.rbac.OperatorPermissions;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.corral.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RBAC the chart binds to the operator's ServiceAccount is exactly the operator's declared
 * permissions (OperatorPermissions, which the operator's ITs check against every call it makes):
 * nothing missing, nothing more, in the right namespaces.
 */
class ChartRbacTest {
    private static final String CLUSTER_WIDE = "*";

    /** One verb on one resource, granted cluster-wide ("*") or in a namespace. */
    record Grant(String group, String resource, String verb, String where) {
    }

    @Test
    void aClusterWideInstallGrantsTheDeclaredPermissionsEverywhereAndLeasesOnlyAtHome() {
        RenderedChart chart = RenderedChart.render();
        assertThat(grantedToOperator(chart)).containsExactlyInAnyOrderElementsOf(expected(List.of(CLUSTER_WIDE), true));
    }

    @Test
    void aNamespacedInstallGrantsThemOnlyInTheWatchedNamespaces() {
        RenderedChart chart = RenderedChart.render("watchNamespaces: [shop, blog]");
        assertThat(grantedToOperator(chart)).containsExactlyInAnyOrderElementsOf(expected(List.of("shop", "blog"), true));
    }

    @Test
    void withoutLeaderElectionNoLeaseRights() {
        RenderedChart chart = RenderedChart.render("leaderElection: {enabled: false}");
        assertThat(grantedToOperator(chart)).containsExactlyInAnyOrderElementsOf(expected(List.of(CLUSTER_WIDE), false));
        assertThat(ChartTemplateTest.env(ChartTemplateTest.container(
                chart.get(io.fabric8.kubernetes.api.model.apps.Deployment.class, NAMESPACE, "corral"), "operator"),
                "CORRAL_LEADER_ELECTION_NAMESPACE")).isEmpty();
    }

    @Test
    void withRbacOffNothingIsBound() {
        RenderedChart chart = RenderedChart.render("rbac: {create: false}");
        assertThat(grantedToOperator(chart)).isEmpty();
    }

    private static Set<Grant> expected(List<String> watched, boolean leaderElection) {
        Set<Grant> grants = new HashSet<>();
        for (ApiPermission permission : OperatorPermissions.ALL) {
            List<String> where = switch (permission.scope()) {
                case WATCHED_NAMESPACES -> watched;
                case OPERATOR_NAMESPACE -> leaderElection ? List.of(NAMESPACE) : List.of();
            };
            for (String namespace : where) {
                for (String verb : permission.verbs()) {
                    grants.add(new Grant(permission.group(), permission.resource(), verb, namespace));
                }
            }
        }
        return grants;
    }

    /** Every verb the operator's ServiceAccount gets through the chart's bindings. */
    private static Set<Grant> grantedToOperator(RenderedChart chart) {
        Set<Grant> grants = new HashSet<>();
        for (ClusterRoleBinding binding : chart.all(ClusterRoleBinding.class)) {
            if (bindsOperator(binding.getSubjects())) {
                addRules(grants, clusterRole(chart, binding.getRoleRef()).getRules(), CLUSTER_WIDE);
            }
        }
        for (RoleBinding binding : chart.all(RoleBinding.class)) {
            if (bindsOperator(binding.getSubjects())) {
                String namespace = binding.getMetadata().getNamespace();
                RoleRef ref = binding.getRoleRef();
                List<PolicyRule> rules = ref.getKind().equals("Role")
                        ? chart.get(Role.class, namespace, ref.getName()).getRules()
                        : clusterRole(chart, ref).getRules();
                addRules(grants, rules, namespace);
            }
        }
        return grants;
    }

    private static ClusterRole clusterRole(RenderedChart chart, RoleRef ref) {
        assertThat(ref.getKind()).isEqualTo("ClusterRole");
        return chart.get(ClusterRole.class, null, ref.getName());
    }

    private static boolean bindsOperator(List<Subject> subjects) {
        return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals("corral")
                && NAMESPACE.equals(s.getNamespace()));
    }

    private static void addRules(Set<Grant> grants, List<PolicyRule> rules, String where) {
        for (PolicyRule rule : rules) {
            assertThat(rule.getResourceNames()).as("rules name no single objects").isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        assertThat(verb).as("no wildcards").isNotEqualTo("*");
                        grants.add(new Grant(group, resource, verb, where));
                    }
                }
            }
        }
    }
}
