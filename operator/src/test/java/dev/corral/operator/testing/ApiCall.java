package dev.corral.operator.testing;

import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Optional;

/**
 * A request to the API server as RBAC sees it: verb on a resource (with subresource) of an API group.
 *
 * @param group    "" for the core group
 * @param resource plural name, "/subresource" appended where there is one
 * @param verb     get, list, watch, create, update, patch, delete or deletecollection
 */
public record ApiCall(String group, String resource, String verb) {
    /** The call a request makes, or empty for paths that are not resources (discovery, /version). */
    public static Optional<ApiCall> of(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String target = query < 0 ? path : path.substring(0, query);
        boolean watch = query >= 0 && path.substring(query).contains("watch=true");
        String[] parts = target.replaceFirst("^/", "").split("/");
        int from;
        String group;
        if (parts[0].equals("api") && parts.length > 2) {
            group = "";
            from = 2;
        } else if (parts[0].equals("apis") && parts.length > 3) {
            group = parts[1];
            from = 3;
        } else {
            return Optional.empty();
        }
        if (parts[from].equals("namespaces") && parts.length > from + 2) {
            from += 2;
        }
        String resource = parts[from];
        boolean named = parts.length > from + 1;
        if (parts.length > from + 2) {
            resource += "/" + parts[from + 2];
        }
        String verb = switch (request.method()) {
            case GET -> named ? "get" : watch ? "watch" : "list";
            case POST -> "create";
            case PUT -> "update";
            case PATCH -> "patch";
            case DELETE -> named ? "delete" : "deletecollection";
            default -> request.getMethod().toLowerCase(java.util.Locale.ROOT);
        };
        return Optional.of(new ApiCall(group, resource, verb));
    }

    /** The same resource, another verb. */
    public ApiCall withVerb(String other) {
        return new ApiCall(group, resource, other);
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
    }
}
