package dev.corral.operator.reconciler;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.monitoring.ReconcileMetrics;
import dev.corral.operator.rbac.ApiPermission;
import dev.corral.operator.rbac.OperatorPermissions;
import dev.corral.operator.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The real Operator, on JOSDK's defaults with leader election on, against a real kube-apiserver
 * ({@link RealApiServer}) with the generated CRD installed. The operator authenticates as the chart's
 * ServiceAccount with a bound token, under the Roles the chart grants (built from
 * {@link OperatorPermissions}, which ChartRbacTest holds the chart to), so the API server's RBAC decides
 * each of its calls. Each harness watches one fresh namespace, so tests never see each other's objects.
 */
final class OperatorHarness implements AutoCloseable {
    static final String OPERATOR_NAMESPACE = "corral-system";
    static final String OPERATOR_ACCOUNT = "corral-operator";
    private static final String AGENT = "corral-operator-it";

    private final KubernetesClient client;
    private final KubernetesClient operatorClient;
    private final Operator operator;
    private final String namespace;
    final ReconcileMetrics metrics = new ReconcileMetrics();
    final WebAppReconciler reconciler;

    OperatorHarness(RealApiServer api, OperatorConfig config) throws IOException {
        client = api.admin();
        api.installCrd();
        installRbac(client);
        namespace = api.newNamespace("shop");
        operatorClient = api.asServiceAccount(OPERATOR_NAMESPACE, OPERATOR_ACCOUNT, AGENT);
        OperatorConfig watchingOne = new OperatorConfig(config.serverImage(), config.drainSeconds(), config.graceSeconds(),
                Set.of(namespace), config.leaseNamespace(), config.httpPort(), config.sampleSeconds());
        operator = new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(false)
                // Leader election on, as the chart runs it, so its Lease calls are authorized too; a stop must not exit the JVM.
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("corral-operator-" + namespace)
                        .withLeaseNamespace(OPERATOR_NAMESPACE).withExitOnStopLeading(false).build()));
        reconciler = new WebAppReconciler(watchingOne, metrics, Clock.systemUTC());
        // As CorralOperator registers it: only this namespace's WebApps, not those earlier tests left in theirs.
        operator.register(reconciler, c -> c.settingNamespaces(watchingOne.watchNamespaces()));
        operator.start();
    }

    OperatorHarness(RealApiServer api) throws IOException {
        this(api, OperatorConfig.DEFAULTS);
    }

    /** The test's own client: an admin, whose calls are not the operator's. */
    KubernetesClient client() {
        return client;
    }

    /** The namespace this harness's operator watches. */
    String namespace() {
        return namespace;
    }

    /** The chart's RBAC for the operator's ServiceAccount. Idempotent: each harness applies the same objects. */
    private static void installRbac(KubernetesClient client) {
        if (client.namespaces().withName(OPERATOR_NAMESPACE).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OPERATOR_NAMESPACE).endMetadata().build())
                    .serverSideApply();
        }
        List<PolicyRule> watched = rules(ApiPermission.Scope.WATCHED_NAMESPACES);
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("corral-operator").endMetadata()
                .withRules(watched).build()).forceConflicts().serverSideApply();
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("corral-operator").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "corral-operator")
                .addNewSubject().withKind("ServiceAccount").withName(OPERATOR_ACCOUNT).withNamespace(OPERATOR_NAMESPACE).endSubject()
                .build()).forceConflicts().serverSideApply();
        client.rbac().roles().inNamespace(OPERATOR_NAMESPACE).resource(new RoleBuilder().withNewMetadata().withName("corral-operator-leader")
                .endMetadata().withRules(rules(ApiPermission.Scope.OPERATOR_NAMESPACE)).build()).forceConflicts().serverSideApply();
        client.rbac().roleBindings().inNamespace(OPERATOR_NAMESPACE).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("corral-operator-leader").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "corral-operator-leader")
                .addNewSubject().withKind("ServiceAccount").withName(OPERATOR_ACCOUNT).withNamespace(OPERATOR_NAMESPACE).endSubject()
                .build()).forceConflicts().serverSideApply();
    }

    private static List<PolicyRule> rules(ApiPermission.Scope scope) {
        return OperatorPermissions.ALL.stream().filter(p -> p.scope() == scope)
                .map(p -> new PolicyRuleBuilder().withApiGroups(p.group()).withResources(p.resource())
                        .withVerbs(p.verbs().stream().sorted().toList()).build())
                .toList();
    }

    @Override
    public void close() {
        operator.stop();
        // Nothing deletes namespaces here (no controllers): the WebApps go, so no later operator is tempted by them.
        client.resources(WebApp.class).inNamespace(namespace).delete();
        operatorClient.close();
    }
}
