package dev.corral.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * fabric8's CRUD mock answers server-side-apply patches with 415. Only e2e's LocalClusterIT still runs
 * the operator on the mock (with real server processes as its pods, until the real-cluster suite
 * replaces it); the operator's own ITs run on a real API server ({@link RealApiServer}). For it, apply
 * is served as the API server would for one field manager: objects merge field by field, lists
 * (atomic without list-map markers) are replaced, and an object that does not exist yet is created.
 * It has no authorizer: RBAC is tested on the real server only.
 */
public final class ApplyAsMergeDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (request.method() == HttpMethod.PATCH && objectPath(request).endsWith("/resize")) {
            return resize(request);
        }
        return super.dispatch(request);
    }

    /**
     * The pods/resize subresource, which the mock lacks: the patch's container resources replace those of
     * the same-named containers of the pod, as the API server's strategic merge by container name does.
     */
    private MockResponse resize(RecordedRequest request) {
        String podPath = objectPath(request).substring(0, objectPath(request).length() - "/resize".length());
        MockResponse existing = handleGet(podPath);
        if (existing.code() != 200) {
            return existing;
        }
        try {
            ObjectNode pod = (ObjectNode) JSON.readTree(existing.getBody().readUtf8());
            JsonNode patch = JSON.readTree(request.getUtf8Body());
            for (JsonNode wanted : patch.path("spec").path("containers")) {
                for (JsonNode container : pod.path("spec").path("containers")) {
                    if (container.path("name").equals(wanted.path("name"))) {
                        ((ObjectNode) container).set("resources", wanted.get("resources"));
                    }
                }
            }
            Headers json = request.getHeaders().newBuilder().set("Content-Type", "application/json").build();
            return handleUpdate(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, podPath, json,
                    new Buffer(JSON.writeValueAsBytes(pod))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isApply(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        return type != null && type.startsWith("application/apply-patch");
    }

    /** The object a request addresses: no query, no /status. */
    private static String objectPath(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String target = query < 0 ? path : path.substring(0, query);
        return target.endsWith("/status") ? target.substring(0, target.length() - "/status".length()) : target;
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        if (!isApply(request)) {
            return super.handlePatch(request);
        }
        // Apply's ?fieldManager=...&force=true would hide a /status subresource from the mock's path matching.
        String path = request.getPath();
        int query = path.indexOf('?');
        String target = query < 0 ? path : path.substring(0, query);
        String object = objectPath(request);
        Headers json = request.getHeaders().newBuilder().set("Content-Type", "application/json").build();
        try {
            JsonNode applied = JSON.readTree(request.getUtf8Body());
            MockResponse existing = handleGet(object);
            if (existing.code() == 404) {
                String collection = object.substring(0, object.lastIndexOf('/'));
                return handleCreate(new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collection, json,
                        new Buffer(JSON.writeValueAsBytes(applied))));
            }
            ObjectNode current = (ObjectNode) JSON.readTree(existing.getBody().readUtf8());
            merge(current, applied);
            return handleUpdate(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, target, json,
                    new Buffer(JSON.writeValueAsString(current).getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Objects merge key by key; anything else, lists included, is replaced. */
    private static void merge(ObjectNode into, JsonNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = from.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = into.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue().isObject()) {
                merge(currentObject, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }
}
