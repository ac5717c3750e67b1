package dev.corral.server.distribution;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Links the distribution's own Java runtime ({@code runtime/}) from the build JDK, at image build time.
 *
 * <p>Why a runtime of our own: GraalPy's JIT needs GraalVM's compiler, and the JDK's own
 * {@code jdk.graal.compiler} module cannot run Truffle. Replacing it with {@code --upgrade-module-path}
 * turns off class data sharing entirely, so no AOT cache (JDK 25, JEP 483/515) could be used. A runtime
 * linked without the JDK's compiler takes GraalVM's from {@code --module-path} instead, and then an AOT
 * cache works: hello was ready in 6.5-6.9 s with one against 11.9-13.2 s without.
 */
public final class JavaRuntimeImage {
    /** Modules left out: the JDK's Graal (GraalVM's replaces it), the packaging tools, incubators (they warn at start). */
    private static final Set<String> LEFT_OUT = Set.of("jdk.graal.compiler", "jdk.jlink", "jdk.jpackage");

    /** Written into the runtime: the build of the JDK it was linked from (jlink's own release file omits it). */
    private static final String LINKED_FROM = "linked-from";

    private JavaRuntimeImage() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JavaRuntimeImage OUTPUT_DIR");
            System.exit(64);
        }
        Path output = Path.of(args[0]);
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElse(null);
        if (jlink == null) {
            System.err.println("jlink is not available: build with a full JDK 25, not a JRE");
            System.exit(69);
        }
        Path buildJdk = Path.of(System.getProperty("java.home"));
        if (sameJdk(buildJdk, output)) {
            System.out.println("Java runtime in " + output + " is up to date (linked from " + buildJdk + ")");
            return;
        }
        deleteTree(output);
        Set<String> modules = modules(ModuleFinder.ofSystem().findAll().stream().map(ModuleReference::descriptor).toList());
        int status = jlink.run(System.out, System.err, "--add-modules", String.join(",", modules),
                "--no-header-files", "--no-man-pages", "--output", output.toString());
        if (status != 0) {
            System.err.println("jlink failed with status " + status);
            System.exit(70);
        }
        Files.writeString(output.resolve(LINKED_FROM), jdkVersion(buildJdk.resolve("release")) + "\n");
        System.out.println("linked a Java runtime of " + modules.size() + " modules into " + output.toAbsolutePath());
    }

    /** Every module of the JDK except those left out and those that need one of them. */
    static Set<String> modules(java.util.List<ModuleDescriptor> jdk) {
        Map<String, ModuleDescriptor> byName = jdk.stream().collect(Collectors.toMap(ModuleDescriptor::name, Function.identity()));
        Set<String> excluded = new TreeSet<>();
        for (String name : byName.keySet()) {
            if (LEFT_OUT.contains(name) || name.startsWith("jdk.graal.compiler.") || name.startsWith("jdk.incubator.")) {
                excluded.add(name);
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ModuleDescriptor module : jdk) {
                if (!excluded.contains(module.name())
                        && module.requires().stream().anyMatch(r -> excluded.contains(r.name()))) {
                    excluded.add(module.name());
                    grew = true;
                }
            }
        }
        Set<String> kept = new TreeSet<>(byName.keySet());
        kept.removeAll(excluded);
        return kept;
    }

    /** Whether {@code runtime} was linked from this very JDK build: relinking takes 10-15 s of every build. */
    private static boolean sameJdk(Path jdk, Path runtime) throws IOException {
        Path linkedFrom = runtime.resolve(LINKED_FROM);
        return Files.isRegularFile(linkedFrom) && Files.isExecutable(runtime.resolve("bin/java"))
                && Files.readString(linkedFrom).strip().equals(jdkVersion(jdk.resolve("release")));
    }

    /** The JAVA_RUNTIME_VERSION line of a JDK's release file: names the exact build (e.g. 25.0.3+9-LTS). */
    private static String jdkVersion(Path release) throws IOException {
        try (Stream<String> lines = Files.lines(release)) {
            return lines.filter(l -> l.startsWith("JAVA_RUNTIME_VERSION=")).findFirst().orElse("unknown " + release);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
