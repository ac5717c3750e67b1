package dev.corral.operator.customresource;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Python web application served by Corral pods: how many, with what quota, serving which bundle. */
@Group(WebApp.GROUP)
@Version(WebApp.VERSION)
@ShortNames("wa")
public class WebApp extends CustomResource<WebAppSpec, WebAppStatus> implements Namespaced {
    public static final String GROUP = "corral.dev";
    public static final String VERSION = "v1alpha1";
}
