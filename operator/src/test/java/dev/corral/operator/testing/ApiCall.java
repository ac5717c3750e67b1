package dev.corral.operator.testing;



/**
 * A request to the API server as RBAC sees it: verb on a resource (with subresource) of an API group.
 *
 * @param group    "" for the core group
 * @param resource plural name, "/subresource" appended where there is one
 * @param verb     get, list, watch, create, update, patch, delete or deletecollection
 */
public record ApiCall(String group, String resource, String verb) {
    /** The same resource, another verb. */
    public ApiCall withVerb(String other) {
        return new ApiCall(group, resource, other);
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
    }
}
