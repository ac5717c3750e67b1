package dev.corral.server.python;

/** One request for a worker: the environ as name/value pairs, the body, and where the response goes. */
public record WsgiCall(String[] environ, byte[] body, ResponseChannel response) {
}
