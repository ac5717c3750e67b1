package dev.corral.server.config;

import dev.corral.server.budget.RequestBudget;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns command-line flags and environment variables into a {@link ServerConfig}. A flag beats its
 * environment variable, which beats the default. Every error names the setting and what is accepted.
 */
public final class ServerConfigParser {
    private final Map<String, String> env;

    public ServerConfigParser(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Whether the arguments ask for help rather than a server. */
    public static boolean wantsHelp(String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
    }

    public ServerConfig parse(String[] args) throws ConfigException {
        Map<ServerOption, String> raw = new EnumMap<>(ServerOption.class);
        for (ServerOption option : ServerOption.values()) {
            String fromEnv = env.get(option.envVar());
            raw.put(option, fromEnv != null ? fromEnv : option.defaultValue());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "'; settings are --name value or --name=value (see --help)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("--" + name + " needs a value");
            }
            raw.put(option(name), value);
        }
        return build(raw);
    }

    private static ServerOption option(String flag) throws ConfigException {
        for (ServerOption option : ServerOption.values()) {
            if (option.flag().equals(flag)) {
                return option;
            }
        }
        throw new ConfigException("unknown setting --" + flag + " (see --help)");
    }

    private static ServerConfig build(Map<ServerOption, String> raw) throws ConfigException {
        String bundle = raw.get(ServerOption.BUNDLE).trim();
        if (bundle.isEmpty()) {
            throw new ConfigException("--bundle (CORRAL_BUNDLE) must name a bundle directory or archive");
        }
        String temp = raw.get(ServerOption.TEMP_DIR).trim();
        List<String> envPass = new ArrayList<>();
        for (String name : raw.get(ServerOption.ENV_PASS).split(",")) {
            if (!name.isBlank()) {
                envPass.add(name.trim());
            }
        }
        String entrypoint = raw.get(ServerOption.ENTRYPOINT).trim();
        if (!entrypoint.isEmpty() && !entrypoint.matches("[A-Za-z_][A-Za-z0-9_.]*(:[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw invalid(ServerOption.ENTRYPOINT, entrypoint, "module:callable with Python identifiers, e.g. app:application");
        }
        return new ServerConfig(
                Path.of(bundle),
                entrypoint,
                raw.get(ServerOption.HOST).trim(),
                port(raw, ServerOption.PORT),
                raw.get(ServerOption.ADMIN_HOST).trim(),
                port(raw, ServerOption.ADMIN_PORT),
                countOrAuto(raw, ServerOption.WORKERS, 512),
                countOrAuto(raw, ServerOption.QUEUE_SIZE, 1_000_000),
                duration(raw, ServerOption.MAX_QUEUE_WAIT),
                duration(raw, ServerOption.QUEUE_WAIT_GRACE),
                transport(raw.get(ServerOption.TRANSPORT)),
                countOrAuto(raw, ServerOption.EVENT_LOOPS, 256),
                bytes(raw, ServerOption.MAX_BODY_SIZE, 0, Long.MAX_VALUE),
                raw.get(ServerOption.MAX_BUFFERED_BODIES).trim().equalsIgnoreCase("auto") ? 0
                        : bytes(raw, ServerOption.MAX_BUFFERED_BODIES, 1, Long.MAX_VALUE),
                (int) bytes(raw, ServerOption.MAX_HEADER_SIZE, 1024, 1 << 20),
                (int) bytes(raw, ServerOption.MAX_REQUEST_LINE, 256, 1 << 20),
                duration(raw, ServerOption.IDLE_TIMEOUT),
                duration(raw, ServerOption.HEADER_TIMEOUT),
                new RequestBudget(duration(raw, ServerOption.REQUEST_TIMEOUT), duration(raw, ServerOption.REQUEST_CPU),
                        bytes(raw, ServerOption.REQUEST_MEMORY, 0, Long.MAX_VALUE)),
                duration(raw, ServerOption.BUDGET_GRACE),
                count(raw, ServerOption.MAX_REQUESTS),
                count(raw, ServerOption.MAX_REQUESTS_JITTER),
                duration(raw, ServerOption.DRAIN_DELAY),
                duration(raw, ServerOption.DRAIN_TIMEOUT),
                duration(raw, ServerOption.IDLE_HEAP_RELEASE),
                mode(raw.get(ServerOption.MODE)),
                envPass,
                egress(raw.get(ServerOption.EGRESS)),
                temp.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "corral") : Path.of(temp));
    }

    private static List<dev.corral.server.egress.EgressRule> egress(String value) throws ConfigException {
        try {
            return dev.corral.server.egress.EgressRule.parseList(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--" + ServerOption.EGRESS.flag() + " (" + ServerOption.EGRESS.envVar() + "): " + e.getMessage());
        }
    }

    private static int port(Map<ServerOption, String> raw, ServerOption option) throws ConfigException {
        String value = raw.get(option).trim();
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(option, value, "a port number from 0 to 65535");
    }

    private static int countOrAuto(Map<ServerOption, String> raw, ServerOption option, int max) throws ConfigException {
        String value = raw.get(option).trim();
        if (value.equalsIgnoreCase("auto")) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(option, value, "auto or a whole number from 1 to " + max);
    }

    private static int count(Map<ServerOption, String> raw, ServerOption option) throws ConfigException {
        String value = raw.get(option).trim();
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(option, value, "a whole number, 0 or more");
    }

    private static long bytes(Map<ServerOption, String> raw, ServerOption option, long min, long max) throws ConfigException {
        String value = raw.get(option);
        try {
            long n = ConfigValues.parseBytes(value);
            if (n >= min && n <= max) {
                return n;
            }
            throw invalid(option, value, "a size from " + min + " to " + max + " bytes");
        } catch (IllegalArgumentException e) {
            throw invalid(option, value, "a size such as 512k or 10m");
        }
    }

    private static Duration duration(Map<ServerOption, String> raw, ServerOption option) throws ConfigException {
        String value = raw.get(option);
        try {
            return ConfigValues.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw invalid(option, value, "a duration such as 500ms, 30s or 5m");
        }
    }

    private static NetworkTransport transport(String value) throws ConfigException {
        try {
            return NetworkTransport.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(ServerOption.TRANSPORT, value, "epoll, io_uring or nio");
        }
    }

    private static ServerConfig.Mode mode(String value) throws ConfigException {
        try {
            return ServerConfig.Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(ServerOption.MODE, value, "production or development");
        }
    }

    private static ConfigException invalid(ServerOption option, String value, String expected) {
        return new ConfigException("--" + option.flag() + " (" + option.envVar() + ") is '" + value + "'; expected " + expected);
    }

    /** The {@code --help} text, generated from {@link ServerOption}. */
    public static String help() {
        StringBuilder out = new StringBuilder("Usage: corral-server [--name value]...\n\n"
                + "Serves a WSGI handler bundle. Each setting may also come from its environment variable;\n"
                + "a flag wins over the variable, which wins over the default.\n\n");
        for (ServerOption option : ServerOption.values()) {
            out.append(String.format(Locale.ROOT, "  --%-18s %-26s default: %s%n      %s%n",
                    option.flag(), option.envVar(), option.defaultValue().isEmpty() ? "(none)" : option.defaultValue(),
                    option.description()));
        }
        return out.toString();
    }
}
