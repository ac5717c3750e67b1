package dev.corral.server.http;

/**
 * Every HTTP behaviour of {@link HttpServerIT} (static files without sendfile, backpressure, pipelining, slow
 * clients, malformed input) on the io_uring transport: it is selectable, so it has to be as correct as epoll.
 * The metrics test there proves the server really ran on io_uring, since asking for it never falls back.
 */
class IoUringHttpServerIT extends HttpServerIT {
    @Override
    String transport() {
        return "io_uring";
    }
}
