package dev.corral.server.python;

import dev.corral.server.budget.RequestBudget;
import dev.corral.server.wsgi.EnvironPairs;
import dev.corral.server.wsgi.ResponseChannel;

/**
 * One request for a worker: the environ (packed name/value pairs), the body, where the response goes, the
 * budget it runs under, the route (budget prefix) it fell under, and what to run once it is done.
 */
public record WsgiCall(EnvironPairs environ, byte[] body, ResponseChannel response, RequestBudget budget, String route, Runnable onDone) {

    public WsgiCall(EnvironPairs environ, byte[] body, ResponseChannel response, RequestBudget budget, String route) {
        this(environ, body, response, budget, route, () -> { });
    }
}
