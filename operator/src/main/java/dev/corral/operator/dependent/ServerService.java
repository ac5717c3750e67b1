package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The Service in front of a WebApp's pods: its port to the servers' HTTP port. */
public final class ServerService {
    private ServerService() {
    }

    public static Service desired(WebApp webApp) {
        return new ServiceBuilder()
                .withMetadata(WebAppLabels.objectMeta(webApp, webApp.getMetadata().getName()))
                .withNewSpec()
                .withType(webApp.getSpec().getService().getType())
                .withSelector(WebAppLabels.selector(webApp))
                .addNewPort()
                .withName("http")
                .withPort(webApp.getSpec().getService().getPort())
                .withTargetPort(new IntOrString(ServerDeployment.HTTP_PORT_NAME))
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }

    /** The in-cluster URL status reports. */
    public static String url(WebApp webApp) {
        int port = webApp.getSpec().getService().getPort();
        return "http://" + webApp.getMetadata().getName() + "." + webApp.getMetadata().getNamespace() + ".svc"
                + (port == 80 ? "" : ":" + port) + "/";
    }
}
