package dev.corral.server.http;

import dev.corral.server.bundle.StaticMount;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files under the bundle's static mounts, sent with sendfile() and never through Python. Facts of files
 * that exist are looked up off the event loop and cached for {@link #FRESH_MILLIS}, so a hot file costs
 * no syscalls but the send itself. Misses are not cached, and the cache is bounded, so clients asking
 * for endless distinct paths cannot grow it. Conditional requests and single byte ranges are honoured.
 */
public final class StaticFiles {
    static final long FRESH_MILLIS = 2000;
    /** More distinct hot files than a bundle plausibly has; past it the cache starts over. */
    static final int MAX_CACHED = 4096;

    private final Vertx vertx;
    private final List<StaticMount> mounts;
    private final Map<Path, FileFacts> cache = new ConcurrentHashMap<>();

    /** What a response needs to know of a file; {@code null} path means "not a servable file". */
    record FileFacts(Path path, long size, long modifiedMillis, String etag, String lastModified, String contentType, long checkedAt) {
        boolean found() {
            return path != null;
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
        vertx.executeBlocking(() -> inspect(file, mount.directory()), false).onComplete(r -> {
            if (r.failed()) {
                ErrorResponses.send(response, 500, "could not read the file");
                return;
            }
            FileFacts fresh = r.result();
            if (fresh.found()) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(file, fresh);
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

    private static FileFacts inspect(Path file, Path root) throws IOException {
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
        return new FileFacts(real, size, modified, etag, DateHeader.httpDate(Instant.ofEpochMilli(modified)),
                ContentTypes.forFileName(real.getFileName().toString()), System.currentTimeMillis());
    }

    private static FileFacts notFound(Path file) {
        return new FileFacts(null, 0, 0, null, null, null, System.currentTimeMillis());
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
