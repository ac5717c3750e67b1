package dev.corral.operator.dependent;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.status.SpecValidation;
import dev.corral.operator.customresource.spec.BundleSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Deployment of the WebApp's server pods. */
@KubernetesDependent
public class ServerDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, WebApp> {
    /** The operator's settings (default server image, drain), read once when JOSDK builds this dependent. */
    private final OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());

    public ServerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(WebApp webApp, Context<WebApp> context) {
        // Refuse, rather than build from, a spec that cannot be honoured: the objects in place stay as they are.
        SpecValidation.requireValid(webApp);
        return ServerDeployment.desired(webApp, config, bundleHash(webApp, context));
    }

    /** What identifies the bundle's content, so that a change rolls the pods. */
    private static String bundleHash(WebApp webApp, Context<WebApp> context) {
        BundleSource bundle = webApp.getSpec().getBundle();
        if (bundle.getInline() != null) {
            return BundleHash.ofFiles(bundle.getInline());
        }
        if (bundle.getConfigMapRef() != null) {
            // From the watch that also triggers this reconcile when the user edits the ConfigMap.
            ConfigMap configMap = ReferencedBundles.of(webApp, context).orElse(null);
            if (configMap == null) {
                // A deleted ConfigMap must not roll the serving pods to a template that cannot start: the
                // pods keep the bundle they mounted. Before any pod exists they wait for it to appear.
                return context.getSecondaryResource(Deployment.class)
                        .map(deployment -> deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                        .map(annotations -> annotations.get(BundleHash.ANNOTATION))
                        .orElse(BundleHash.MISSING);
            }
            // binaryData too: the volume holds both, and Kubernetes keeps their keys apart.
            java.util.Map<String, String> files = new java.util.HashMap<>();
            if (configMap.getData() != null) {
                files.putAll(configMap.getData());
            }
            if (configMap.getBinaryData() != null) {
                files.putAll(configMap.getBinaryData());
            }
            return BundleHash.ofFiles(files);
        }
        return BundleHash.ofText(bundle.getImage().getReference() + "@" + bundle.getImage().getPath());
    }
}
