package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.spec.ApplyMethod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the cluster resizes pods in place (the pods/resize subresource, on by default from
 * Kubernetes 1.33), asked once; {@link ApplyMethod#Auto} becomes InPlace there and Rollout elsewhere.
 */
public final class ResizeSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ResizeSupport.class);
    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");
    private final AtomicReference<Boolean> inPlace = new AtomicReference<>();

    public ApplyMethod resolve(ApplyMethod requested, KubernetesClient client) {
        if (requested != ApplyMethod.Auto) {
            return requested;
        }
        Boolean known = inPlace.get();
        if (known == null) {
            known = detect(client);
            inPlace.set(known);
        }
        return known ? ApplyMethod.InPlace : ApplyMethod.Rollout;
    }

    static boolean supportsInPlace(String major, String minor) {
        Matcher majorNumber = LEADING_NUMBER.matcher(major == null ? "" : major);
        Matcher minorNumber = LEADING_NUMBER.matcher(minor == null ? "" : minor);
        if (!majorNumber.find() || !minorNumber.find()) {
            return false;
        }
        int ma = Integer.parseInt(majorNumber.group(1));
        int mi = Integer.parseInt(minorNumber.group(1));
        return ma > 1 || (ma == 1 && mi >= 33);
    }

    private static boolean detect(KubernetesClient client) {
        try {
            VersionInfo version = client.getKubernetesVersion();
            boolean supported = supportsInPlace(version.getMajor(), version.getMinor());
            LOG.info("Kubernetes {}.{}: quota changes apply {}", version.getMajor(), version.getMinor(),
                    supported ? "in place (pods/resize)" : "by rollout");
            return supported;
        } catch (KubernetesClientException | IllegalStateException e) {
            LOG.warn("cannot read the Kubernetes version ({}); quota changes apply by rollout", e.getMessage());
            return false;
        }
    }
}
