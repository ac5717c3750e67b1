package dev.corral.server.bundle;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.corral.server.budget.BudgetOverride;
import dev.corral.server.config.ConfigValues;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the optional {@code corral.json} at the bundle root says, with defaults for what it leaves out.
 *
 * <pre>{"entrypoint": "app:application", "static": {"/assets/": "static"}, "warmup": {"paths": ["/"], "requests": 200},
 *  "budgets": {"/reports/": {"timeout": "120s", "cpu": "60s", "memory": "2g"}, "/upload": {"memory": "off"}},
 *  "nativeModules": false}</pre>
 *
 * @param nativeModules whether Python may load the standard library's native modules (pyexpat, _sqlite3,
 *                      ctypes...): it lowers the in-process fence to the pod's, see docs/bundles.md
 */
public record BundleManifest(Entrypoint entrypoint, List<StaticMount> staticMounts, Warmup warmup,
                             Map<String, BudgetOverride> budgets, boolean nativeModules) {
    public static final String FILE_NAME = "corral.json";
    private static final Set<String> KEYS = Set.of("entrypoint", "static", "warmup", "budgets", "nativeModules");
    private static final Set<String> BUDGET_KEYS = Set.of("timeout", "cpu", "memory", "maxConcurrent");

    public BundleManifest {
        staticMounts = List.copyOf(staticMounts);
        budgets = Map.copyOf(budgets);
    }

    /** Reads the manifest of the bundle rooted at {@code root}, or the defaults when it has none. */
    public static BundleManifest read(Path root) throws BundleException {
        Path file = root.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return parse(new JsonObject(), root);
        }
        try {
            return parse(new JsonObject(Files.readString(file)), root);
        } catch (DecodeException e) {
            throw new BundleException(FILE_NAME + " is not valid JSON: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new BundleException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static BundleManifest parse(JsonObject json, Path root) throws BundleException {
        Set<String> unknown = new TreeSet<>(json.fieldNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new BundleException(FILE_NAME + " has unknown keys " + unknown + "; known keys are " + new TreeSet<>(KEYS));
        }
        try {
            Entrypoint entrypoint = json.containsKey("entrypoint")
                    ? Entrypoint.parse(json.getString("entrypoint"))
                    : Entrypoint.DEFAULT;
            return new BundleManifest(entrypoint, staticMounts(json.getJsonObject("static"), root), warmup(json.getJsonObject("warmup")),
                    budgets(json.getJsonObject("budgets")), json.getBoolean("nativeModules", false));
        } catch (ClassCastException e) {
            throw new BundleException(FILE_NAME + " has a value of the wrong type: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BundleException(FILE_NAME + ": " + e.getMessage());
        }
    }

    private static List<StaticMount> staticMounts(JsonObject json, Path root) throws BundleException {
        List<StaticMount> mounts = new ArrayList<>();
        if (json == null) {
            Path conventional = root.resolve("static");
            if (Files.isDirectory(conventional)) {
                mounts.add(new StaticMount("/static/", conventional));
            }
            return mounts;
        }
        for (Map.Entry<String, Object> entry : json) {
            String prefix = entry.getKey();
            if (!prefix.startsWith("/")) {
                throw new BundleException(FILE_NAME + ": static mount '" + prefix + "' must start with '/'");
            }
            if (!prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            Path dir = root.resolve((String) entry.getValue()).normalize();
            if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
                throw new BundleException(FILE_NAME + ": static mount " + prefix + " -> '" + entry.getValue() + "' is not a directory inside the bundle");
            }
            mounts.add(new StaticMount(prefix, dir));
        }
        // Longest prefix first, so /static/img/ wins over /static/.
        mounts.sort((a, b) -> b.urlPrefix().length() - a.urlPrefix().length());
        return mounts;
    }

    private static Map<String, BudgetOverride> budgets(JsonObject json) throws BundleException {
        Map<String, BudgetOverride> budgets = new LinkedHashMap<>();
        if (json == null) {
            return budgets;
        }
        for (Map.Entry<String, Object> entry : json) {
            String prefix = entry.getKey();
            if (!prefix.startsWith("/") || !(entry.getValue() instanceof JsonObject rule)) {
                throw new BundleException(FILE_NAME + ": budgets maps a path prefix starting with '/' to {timeout, cpu, memory}, got '" + prefix + "'");
            }
            Set<String> unknown = new TreeSet<>(rule.fieldNames());
            unknown.removeAll(BUDGET_KEYS);
            if (!unknown.isEmpty()) {
                throw new BundleException(FILE_NAME + ": budget for " + prefix + " has unknown keys " + unknown + "; known keys are [cpu, maxConcurrent, memory, timeout]");
            }
            try {
                Integer maxConcurrent = rule.getInteger("maxConcurrent");
                if (maxConcurrent != null && maxConcurrent < 1) {
                    throw new IllegalArgumentException("maxConcurrent must be 1 or more, got " + maxConcurrent);
                }
                budgets.put(prefix, new BudgetOverride(
                        duration(rule.getString("timeout")), duration(rule.getString("cpu")), bytes(rule.getString("memory")), maxConcurrent));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new BundleException(FILE_NAME + ": budget for " + prefix + ": " + e.getMessage());
            }
        }
        return budgets;
    }

    private static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        return text.equalsIgnoreCase("off") ? Duration.ZERO : ConfigValues.parseDuration(text);
    }

    private static Long bytes(String text) {
        if (text == null) {
            return null;
        }
        return text.equalsIgnoreCase("off") ? 0L : ConfigValues.parseBytes(text);
    }

    private static Warmup warmup(JsonObject json) throws BundleException {
        if (json == null) {
            return Warmup.NONE;
        }
        JsonArray paths = json.getJsonArray("paths", new JsonArray());
        List<String> list = new ArrayList<>();
        for (Object path : paths) {
            if (!(path instanceof String p) || !p.startsWith("/")) {
                throw new BundleException(FILE_NAME + ": warmup paths must be strings starting with '/', got " + path);
            }
            list.add(p);
        }
        int requests = json.getInteger("requests", 100);
        if (requests < 0 || requests > 100_000) {
            throw new BundleException(FILE_NAME + ": warmup.requests must be from 0 to 100000, got " + requests);
        }
        return new Warmup(list, requests);
    }
}
