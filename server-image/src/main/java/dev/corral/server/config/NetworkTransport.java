package dev.corral.server.config;

/**
 * The socket layer under the event loops. Epoll is the default because it is what the benchmarks ran best
 * on and it sends static files with sendfile; io_uring batches system calls through a shared ring, which
 * is the design's idea of few syscalls, but Vert.x 5.0's io_uring transport declines file regions, so static
 * files are read and copied instead of sent with sendfile (docs/performance.md has what each measured).
 */
public enum NetworkTransport {
    EPOLL("epoll"),
    IO_URING("io_uring"),
    NIO("nio");

    private final String flagValue;

    NetworkTransport(String flagValue) {
        this.flagValue = flagValue;
    }

    /** How the setting spells it: {@code epoll}, {@code io_uring}, {@code nio}. */
    public String flagValue() {
        return flagValue;
    }
}
