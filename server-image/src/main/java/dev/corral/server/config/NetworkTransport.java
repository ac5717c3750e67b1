package dev.corral.server.config;

/**
 * The socket layer under the event loops. Epoll is the default because it is what the benchmarks ran best
 * on and it sends static files with sendfile; io_uring batches system calls through a shared ring, which
 * is the design's idea of few syscalls, but Vert.x 5.0's io_uring transport declines file regions, so static
 * files are read and copied instead of sent with sendfile (docs/performance.md has what each measured).
 */
public enum NetworkTransport {
    /** Spelled in settings as its lower-case name: {@code epoll}, {@code io_uring}, {@code nio}. */
    EPOLL,
    IO_URING,
    NIO
}
