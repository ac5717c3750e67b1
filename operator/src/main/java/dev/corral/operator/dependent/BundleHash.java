package dev.corral.operator.dependent;

import dev.corral.operator.customresource.spec.BundleSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A short digest of a bundle's content, put on the pod template as an annotation: when the bundle
 * changes the template changes, and the Deployment rolls its pods.
 */
public final class BundleHash {
    public static final String ANNOTATION = "corral.dev/bundle-hash";
    /** The hash of a referenced ConfigMap that does not exist (yet). */
    public static final String MISSING = "missing";

    private BundleHash() {
    }

    /** Digest of files by path; the order they are given in does not matter. */
    public static String ofFiles(Map<String, String> files) {
        MessageDigest digest = sha256();
        for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
            update(digest, file.getKey());
            update(digest, file.getValue());
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /**
     * What identifies a WebApp's bundle: its inline files, the referenced ConfigMap's data and binaryData
     * (the volume holds both, and Kubernetes keeps their keys apart), or the image reference and path.
     * A referenced ConfigMap that is gone keeps the hash the pods run with: a deleted ConfigMap must not
     * roll serving pods to a template that cannot start. Before any pod exists it is {@link #MISSING}.
     */
    public static String of(BundleSource bundle, Optional<ConfigMap> referenced, Optional<Deployment> deployment) {
        if (bundle.getInline() != null) {
            return ofFiles(bundle.getInline());
        }
        if (bundle.getConfigMapRef() != null) {
            if (referenced.isEmpty()) {
                return deployment.map(d -> d.getSpec().getTemplate().getMetadata().getAnnotations())
                        .map(annotations -> annotations.get(ANNOTATION))
                        .orElse(MISSING);
            }
            Map<String, String> files = new HashMap<>();
            if (referenced.get().getData() != null) {
                files.putAll(referenced.get().getData());
            }
            if (referenced.get().getBinaryData() != null) {
                files.putAll(referenced.get().getBinaryData());
            }
            return ofFiles(files);
        }
        return ofText(bundle.getImage().getReference() + "@" + bundle.getImage().getPath());
    }

    /** Digest of a single identifying string, such as an image reference. */
    public static String ofText(String text) {
        MessageDigest digest = sha256();
        update(digest, text);
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
