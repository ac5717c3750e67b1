package dev.corral.server.lifecycle;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Says whether this JVM started from the distribution's AOT cache, for the start-up log: a cache left
 * from older jars is ignored by the JVM, and the only sign is a start twice as slow.
 */
final class AotCacheUse {
    private AotCacheUse() {
    }

    static String describe() {
        String cache = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("AOTCache").getValue();
        // java.vm.info says "sharing" only when the JVM mapped a class-data archive; the distribution's
        // runtime has no default one, so here that archive is the AOT cache.
        boolean mapped = System.getProperty("java.vm.info", "").contains("sharing");
        return describe(cache, mapped);
    }

    static String describe(String cache, boolean mapped) {
        if (cache == null || cache.isEmpty()) {
            return mapped ? "class-data sharing on, no AOT cache" : "no AOT cache (start-up takes about twice as long)";
        }
        return mapped ? "AOT cache " + cache + " in use"
                : "AOT cache " + cache + " NOT used: it was written for other jars or another runtime; rebuild the distribution";
    }
}
