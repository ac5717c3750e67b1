package dev.corral.operator.customresource;

import dev.corral.operator.customresource.spec.WebAppSpec;
import dev.corral.operator.customresource.status.WebAppStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Python web application served by Corral pods: how many, with what quota, serving which bundle. */
@Group(WebApp.GROUP)
@Version(WebApp.VERSION)
@ShortNames("wa")
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "CPU", jsonPath = ".spec.resources.cpu", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".spec.resources.memory", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "OOMKills", jsonPath = ".status.oomKills", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class WebApp extends CustomResource<WebAppSpec, WebAppStatus> implements Namespaced {
    public static final String GROUP = "corral.dev";
    public static final String VERSION = "v1alpha1";
}
