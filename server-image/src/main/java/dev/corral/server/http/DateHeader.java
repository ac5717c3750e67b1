package dev.corral.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Date header value, formatted once a second rather than per response (as Warp does): every
 * response reads one volatile field.
 */
public final class DateHeader {
    private volatile CharSequence current = format(Instant.now());

    /** Starts refreshing on a Vert.x timer; returns the timer id. */
    public long refreshEverySecond(Vertx vertx) {
        return vertx.setPeriodic(1000, id -> current = format(Instant.now()));
    }

    public CharSequence current() {
        return current;
    }

    /** IMF-fixdate (RFC 9110 §5.6.7): two-digit day, always GMT. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    public static String httpDate(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    private static CharSequence format(Instant now) {
        return HttpHeaders.createOptimized(httpDate(now));
    }
}
