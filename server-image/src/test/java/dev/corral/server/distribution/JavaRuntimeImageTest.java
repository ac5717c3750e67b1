package dev.corral.server.distribution;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class JavaRuntimeImageTest {
    private static ModuleDescriptor module(String name, String... requires) {
        ModuleDescriptor.Builder builder = ModuleDescriptor.newModule(name);
        for (String r : requires) {
            builder.requires(r);
        }
        return builder.build();
    }

    @Test
    void leavesOutTheJdksGraalThePackagingToolsAndWhateverNeedsThem() {
        List<ModuleDescriptor> jdk = List.of(module("java.se"), module("jdk.internal.vm.ci"),
                module("jdk.graal.compiler", "jdk.internal.vm.ci"), module("jdk.graal.compiler.management", "jdk.graal.compiler"),
                module("jdk.jlink"), module("jdk.jpackage", "jdk.jlink"), module("jdk.incubator.vector"),
                module("vendor.tool", "jdk.jpackage"), module("jdk.management"));

        assertThat(JavaRuntimeImage.modules(jdk)).containsExactly("java.se", "jdk.internal.vm.ci", "jdk.management");
    }

    @Test
    void keepsWhatTheServerAndGraalPyNeedFromThisJdk() {
        Set<String> kept = JavaRuntimeImage.modules(ModuleFinder.ofSystem().findAll().stream().map(ModuleReference::descriptor).toList());

        assertThat(kept).contains("java.base", "java.management", "jdk.management", "jdk.unsupported", "jdk.internal.vm.ci",
                "jdk.jfr", "jdk.zipfs", "jdk.charsets", "jdk.localedata")
                .doesNotContain("jdk.graal.compiler", "jdk.jlink");
    }
}
