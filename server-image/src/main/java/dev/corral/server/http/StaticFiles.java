package dev.corral.server.http;

import dev.corral.server.bundle.StaticMount;
import dev.corral.server.wsgi.WsgiEnviron;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files under the bundle's static mounts, never through Python. Facts of files that exist are looked up
 * off the event loop and cached for {@link #FRESH_MILLIS}. Small files ({@link #INLINE_MAX} and less,
 * up to {@link #INLINE_BUDGET} bytes in all) are kept in memory and written with the headers in one
 * call: a hot small file then costs no file system call at all, where sendfile() costs open, fstat,
 * sendfile and close per request (profiling the 16 KiB case showed those were most of its cost).
 * Larger files go out with sendfile(). Misses are not cached, and the cache is bounded, so clients
 * asking for endless distinct paths cannot grow it. Conditional requests and single byte ranges are honoured.
 */
public final class StaticFiles {
    static final long FRESH_MILLIS = 2000;
    /** More distinct hot files than a bundle plausibly has; past it the cache starts over. */
    static final int MAX_CACHED = 4096;
    /** Files up to this size are served from memory. */
    static final int INLINE_MAX = 64 * 1024;
    /** Memory for inline file contents, in all; past it, files are sent from disk. */
    static final long INLINE_BUDGET = 16L * 1024 * 1024;

    private final Vertx vertx;
    private final List<StaticMount> mounts;
    private final Map<Path, FileFacts> cache = new ConcurrentHashMap<>();
    /** Bytes of inline contents in {@link #cache}; approximate under races, which only moves the budget slightly. */
    private final AtomicLong inlineBytes = new AtomicLong();

    /**
     * What a response needs to know of a file; {@code null} path means "not a servable file". {@code content}
     * holds the bytes of a small file (read-only, shared by every response), or null to send it from disk.
     */
    record FileFacts(Path path, long size, long modifiedMillis, String etag, String lastModified, String contentType, long checkedAt,
                     Buffer content) {
        boolean found() {
            return path != null;
        }

        long inlineBytes() {
            return content == null ? 0 : content.length();
        }
    }

    public StaticFiles(Vertx vertx, List<StaticMount> mounts) {
        this.vertx = vertx;
        this.mounts = List.copyOf(mounts);
    }

    /** The mount serving {@code rawPath}, or null when the path belongs to the application. */
    public StaticMount match(String rawPath) {
        for (StaticMount mount : mounts) {
            if (rawPath.startsWith(mount.urlPrefix())) {
                return mount;
            }
        }
        return null;
    }

    public void serve(HttpServerRequest request, StaticMount mount) {
        HttpServerResponse response = request.response();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.ALLOW, "GET, HEAD");
            ErrorResponses.send(response, 405, "static files answer only GET and HEAD");
            return;
        }
        Path file = resolve(mount, request.path());
        if (file == null) {
            ErrorResponses.send(response, 404, "no such file");
            return;
        }
        FileFacts facts = cache.get(file);
        if (facts != null && System.currentTimeMillis() - facts.checkedAt() < FRESH_MILLIS) {
            respond(request, facts);
            return;
        }
        FileFacts previous = facts;
        vertx.executeBlocking(() -> inspect(file, mount.directory(), previous, INLINE_BUDGET - inlineBytes.get()), false).onComplete(r -> {
            if (r.failed()) {
                ErrorResponses.send(response, 500, "could not read the file");
                return;
            }
            FileFacts fresh = r.result();
            if (fresh.found()) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                    inlineBytes.set(0);
                }
                FileFacts replaced = cache.put(file, fresh);
                inlineBytes.addAndGet(fresh.inlineBytes() - (replaced == null ? 0 : replaced.inlineBytes()));
            }
            respond(request, fresh);
        });
    }

    /** The file a URL path names inside the mount, or null if it would leave the mount. */
    static Path resolve(StaticMount mount, String rawPath) {
        String relative = rawPath.substring(mount.urlPrefix().length());
        String decoded = new String(WsgiEnviron.percentDecodeLatin1(relative).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
            return null;
        }
        for (String segment : decoded.split("/")) {
            if (segment.equals("..")) {
                return null;
            }
        }
        Path file = mount.directory().resolve(decoded.isEmpty() ? "index.html" : decoded).normalize();
        return file.startsWith(mount.directory()) ? file : null;
    }

    /**
     * Looks a file up (blocking). The contents of a small file are read when the budget has room, or
     * taken over from {@code previous} when size and modification time are unchanged.
     */
    static FileFacts inspect(Path file, Path root, FileFacts previous, long budgetLeft) throws IOException {
        Path target = file;
        if (Files.isDirectory(target)) {
            target = target.resolve("index.html");
        }
        if (!Files.isRegularFile(target)) {
            return notFound(file);
        }
        // A link inside the mount must not lead outside it.
        Path real = target.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            return notFound(file);
        }
        BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
        long size = attrs.size();
        long modified = attrs.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "\"";
        Buffer content = null;
        if (previous != null && previous.content() != null && etag.equals(previous.etag()) && real.equals(previous.path())) {
            content = previous.content();
        } else if (size <= INLINE_MAX && size <= budgetLeft) {
            content = readSmall(real, size);
        }
        return new FileFacts(real, size, modified, etag, DateHeader.httpDate(Instant.ofEpochMilli(modified)),
                ContentTypes.forFileName(real.getFileName().toString()), System.currentTimeMillis(), content);
    }

    /** The file's bytes in off-heap memory, or null if it changed size while being read (it is then sent from disk). */
    private static Buffer readSmall(Path file, long size) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != size) {
            return null;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        // A JDK direct buffer is freed by the garbage collector once the cache lets go of it; Netty never frees it.
        return BufferInternal.buffer(Unpooled.wrappedBuffer(direct));
    }

    private static FileFacts notFound(Path file) {
        return new FileFacts(null, 0, 0, null, null, null, System.currentTimeMillis(), null);
    }

    private static void respond(HttpServerRequest request, FileFacts facts) {
        HttpServerResponse response = request.response();
        if (!facts.found()) {
            ErrorResponses.send(response, 404, "no such file");
            return;
        }
        response.putHeader(HttpHeaders.ETAG, facts.etag())
                .putHeader(HttpHeaders.LAST_MODIFIED, facts.lastModified())
                .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
                .putHeader(HttpHeaders.CONTENT_TYPE, facts.contentType());
        if (notModified(request, facts)) {
            response.setStatusCode(304).end();
            return;
        }
        ByteRange.Request range = ifRangeHolds(request, facts)
                ? ByteRange.parse(request.getHeader("Range"), facts.size())
                : new ByteRange.Whole();
        boolean head = request.method() == HttpMethod.HEAD;
        switch (range) {
            case ByteRange.Partial(ByteRange r) -> {
                response.setStatusCode(206)
                        .putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + r.start() + "-" + r.endInclusive() + "/" + facts.size());
                send(response, facts, r.start(), r.length(), head);
            }
            case ByteRange.Unsatisfiable u -> {
                response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + facts.size());
                ErrorResponses.send(response, 416, "the requested range is outside the file");
            }
            case ByteRange.Whole w -> send(response, facts, 0, facts.size(), head);
        }
    }

    private static void send(HttpServerResponse response, FileFacts facts, long offset, long length, boolean head) {
        if (head) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
        } else if (facts.content() != null) {
            Buffer content = facts.content();
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length))
                    .end(offset == 0 && length == content.length() ? content : content.slice((int) offset, (int) (offset + length)));
        } else {
            response.sendFile(facts.path().toString(), offset, length);
        }
    }

    private static boolean notModified(HttpServerRequest request, FileFacts facts) {
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return etagListMatches(ifNoneMatch, facts.etag());
        }
        String ifModifiedSince = request.getHeader(HttpHeaders.IF_MODIFIED_SINCE);
        if (ifModifiedSince != null) {
            try {
                Instant since = java.time.ZonedDateTime.parse(ifModifiedSince, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return facts.modifiedMillis() / 1000 <= since.getEpochSecond();
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean ifRangeHolds(HttpServerRequest request, FileFacts facts) {
        String ifRange = request.getHeader("If-Range");
        return ifRange == null || ifRange.trim().equals(facts.etag()) || ifRange.trim().equals(facts.lastModified());
    }

    static boolean etagListMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || (c.startsWith("W/") && c.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
    }
}
