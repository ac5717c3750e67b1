package dev.corral.server.config;

/**
 * Every server setting: its command-line flag, its environment variable, its default and what it means.
 * {@code --help} and docs are generated from these constants, so they never drift from the parser.
 */
public enum ServerOption {
    BUNDLE("bundle", "/bundle", "Handler bundle: a directory, .zip or .tar.gz holding the WSGI application."),
    ENTRYPOINT("entrypoint", "", "The WSGI callable as module:callable, overriding the bundle manifest's; empty = the manifest's, else app:application."),
    HOST("host", "0.0.0.0", "Address the HTTP port binds to."),
    PORT("port", "8080", "HTTP port serving the application (0 picks a free port)."),
    ADMIN_HOST("admin-host", "0.0.0.0", "Address the admin port binds to."),
    ADMIN_PORT("admin-port", "9090", "Admin port serving /metrics, /healthz and /readyz (0 picks a free port)."),
    WORKERS("workers", "auto", "Python workers, each a thread with its own interpreter context; auto = the container's CPU quota (at least 2)."),
    QUEUE_SIZE("queue-size", "auto", "Most requests that may wait for a free worker before new ones get 503; auto = 512 per worker."),
    MAX_QUEUE_WAIT("max-queue-wait", "1s", "A request that would wait longer than this for a free worker (judged from recent request times) gets 503 at once (0 = bound by --queue-size only)."),
    QUEUE_WAIT_GRACE("queue-wait-grace", "60s", "For this long after ready the queue refuses only when full (--queue-size), not on --max-queue-wait: while the JIT compiles what real traffic runs, requests are many times slower for a while, and waiting beats 503."),
    TRANSPORT("transport", "epoll", "Network transport: epoll (Linux's native one; falls back to nio with a warning where it cannot load), io_uring (Linux 5.10+; the server refuses to start where it cannot load) or nio (the JDK's)."),
    EVENT_LOOPS("event-loops", "auto", "Event-loop threads for network I/O; auto = available processors."),
    MAX_BODY_SIZE("max-body-size", "10m", "Largest request body accepted; larger ones get 413."),
    MAX_BUFFERED_BODIES("max-buffered-bodies", "auto", "Request-body bytes held across the whole server at once; past it, connections stop being read until bodies are done with; auto = a quarter of the JVM heap."),
    MAX_HEADER_SIZE("max-header-size", "16k", "Largest total size of request headers; larger ones get 431."),
    MAX_REQUEST_LINE("max-request-line", "8k", "Longest request line (method, target, version); longer ones get 414."),
    IDLE_TIMEOUT("idle-timeout", "60s", "A connection silent for this long is closed."),
    HEADER_TIMEOUT("header-timeout", "10s", "Each request's headers must be complete within this, against slow clients: a new connection's from its opening, a keep-alive connection's next request from its first byte."),
    REQUEST_TIMEOUT("request-timeout", "30s", "Wall-clock budget of one request; past it the request is stopped and answered 504 (0 = none). Routes may override it in corral.json."),
    REQUEST_CPU("request-cpu", "10s", "CPU-time budget of one request; past it the request is stopped and answered 503 (0 = none)."),
    REQUEST_MEMORY("request-memory", "1g", "Bytes one request may allocate (garbage included); past it the request is stopped and answered 503 (0 = none)."),
    BUDGET_GRACE("budget-grace", "1s", "How long a stopped request may take to unwind before its interpreter is discarded and replaced."),
    MAX_REQUESTS("max-requests", "0", "Recycle a worker's interpreter after this many requests, against slow leaks (0 = never)."),
    MAX_REQUESTS_JITTER("max-requests-jitter", "0", "Up to this many extra requests, drawn per worker, so workers do not all recycle at once."),
    DRAIN_DELAY("drain-delay", "2s", "On SIGTERM, readiness turns false at once and the port keeps accepting for this long, so load balancers can react."),
    DRAIN_TIMEOUT("drain-timeout", "30s", "After the drain delay, in-flight requests get this long to finish before the server exits."),
    IDLE_HEAP_RELEASE("idle-heap-release", "30s", "After this long without requests, collect the heap once so the JVM returns its free part to the OS (0 = never)."),
    MODE("mode", "production", "production refuses to start when Python would run interpreted (no JIT); development only warns."),
    EGRESS("egress", "", "Comma-separated destinations the application may connect to (TCP, and UDP datagrams): host:port, host:first-last, address/prefix:port or [ipv6]:port; names are resolved at each connect. Every other connect raises PermissionError; link-local (metadata) addresses, the node and the API server only by address. Empty = no sockets at all."),
    ENV_PASS("env-pass", "", "Comma-separated names of environment variables passed to the Python application (none by default)."),
    TEMP_DIR("temp-dir", "", "Writable directory for the application's temporary files and unpacked archives; empty = the JVM's temp dir.");

    private final String flag;
    private final String defaultValue;
    private final String description;

    ServerOption(String flag, String defaultValue, String description) {
        this.flag = flag;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The long flag without dashes, e.g. {@code max-body-size}. */
    public String flag() {
        return flag;
    }

    /** The environment variable, e.g. {@code CORRAL_MAX_BODY_SIZE}. */
    public String envVar() {
        return "CORRAL_" + flag.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
