package dev.corral.server.bundle;

import java.util.regex.Pattern;

/** The WSGI callable to serve, written {@code module:callable} as gunicorn does, e.g. {@code app:application}. */
public record Entrypoint(String module, String callable) {
    private static final Pattern DOTTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    public static final Entrypoint DEFAULT = new Entrypoint("app", "application");

    public Entrypoint {
        if (!DOTTED.matcher(module).matches() || !DOTTED.matcher(callable).matches()) {
            throw new IllegalArgumentException("entrypoint must be module:callable with Python identifiers, got '" + module + ":" + callable + "'");
        }
    }

    public static Entrypoint parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new Entrypoint(text.trim(), DEFAULT.callable());
        }
        return new Entrypoint(text.substring(0, colon).trim(), text.substring(colon + 1).trim());
    }

    @Override
    public String toString() {
        return module + ":" + callable;
    }
}
