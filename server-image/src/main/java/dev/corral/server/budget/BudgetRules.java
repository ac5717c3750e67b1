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

    public BudgetRules(RequestBudget defaults, Map<String, BudgetOverride> overrides) {
        this.defaults = defaults;
        List<Route> list = new ArrayList<>();
        overrides.forEach((prefix, override) -> list.add(new Route(prefix, override.applyTo(defaults),
                override.maxConcurrent() == null ? 0 : override.maxConcurrent())));
        list.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        this.routes = List.copyOf(list);
    }

    /** The route a path falls under: its prefix (or "default") and budget. */
    public Route forPath(String path) {
        for (Route route : routes) {
            if (path.startsWith(route.prefix())) {
                return route;
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
