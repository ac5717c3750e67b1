package dev.corral.server.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which budget a request gets: the server's defaults, overridden per URL path prefix by the bundle's
 * manifest. The longest matching prefix wins.
 */
public final class BudgetRules {
    /** A path prefix, the full budget its requests get, and how many may run at once (0: no cap). */
    public record Route(String prefix, RequestBudget budget, int maxConcurrent) {
    }

    private final RequestBudget defaults;
    private final List<Route> routes;
    /** Each route's prefix in PATH_INFO's form, same order as {@link #routes}. */
    private final List<String> matchKeys;

    public BudgetRules(RequestBudget defaults, Map<String, BudgetOverride> overrides) {
        this.defaults = defaults;
        List<Route> list = new ArrayList<>();
        overrides.forEach((prefix, override) -> list.add(new Route(prefix, override.applyTo(defaults),
                override.maxConcurrent() == null ? 0 : override.maxConcurrent())));
        list.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        this.routes = List.copyOf(list);
        this.matchKeys = routes.stream()
                .map(r -> new String(r.prefix().getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1))
                .toList();
    }

    /**
     * The route a path falls under: its prefix (or "default") and budget. {@code path} is PATH_INFO as
     * WSGI gives it (percent-decoded, its UTF-8 bytes as Latin-1 characters), so prefixes are compared
     * in that form too.
     */
    public Route forPath(String path) {
        for (int i = 0; i < routes.size(); i++) {
            if (path.startsWith(matchKeys.get(i))) {
                return routes.get(i);
            }
        }
        return new Route("default", defaults, 0);
    }

    /** Every route the manifest named, longest prefix first. */
    public List<Route> routes() {
        return routes;
    }

    public RequestBudget defaults() {
        return defaults;
    }
}
