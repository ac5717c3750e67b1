package dev.corral.server.python;

import dev.corral.server.budget.RequestBudget;

/**
 * One request for a worker: the environ as name/value pairs, the body, where the response goes, the
 * budget it runs under and the route (budget prefix) it fell under, for the log.
 */
public record WsgiCall(String[] environ, byte[] body, ResponseChannel response, RequestBudget budget, String route) {
}
