package dev.corral.server.budget;

/** A request that went past one of its budgets: which one, the limit, and what it had used when caught. */
public record Breach(BudgetKind kind, String limit, String used) {

    /** The short line the client gets. */
    public String clientMessage() {
        return "the request exceeded its " + kind.noun() + " budget (" + limit + ")";
    }
}
