package dev.corral.server;

import dev.corral.server.config.ConfigException;
import dev.corral.server.config.ServerConfig;
import dev.corral.server.config.ServerConfigParser;
import dev.corral.server.lifecycle.CorralServer;
import dev.corral.server.lifecycle.ExitCode;
import dev.corral.server.lifecycle.StartupException;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/** Entry point of {@code bin/corral-server}: parse settings, start, wait for SIGTERM, drain, exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s: %5$s%6$s%n");
        if (ServerConfigParser.wantsHelp(args)) {
            System.out.print(ServerConfigParser.help());
            return;
        }
        ServerConfig config;
        try {
            config = new ServerConfigParser(System.getenv()).parse(args);
        } catch (ConfigException e) {
            System.err.println("corral-server: " + e.getMessage());
            System.exit(ExitCode.BAD_CONFIGURATION.code());
            return;
        }

        // Signal handlers only release the latch; the main thread does the draining.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        CorralServer server = new CorralServer(config, System.getenv());
        try {
            server.start();
        } catch (StartupException e) {
            System.err.println("corral-server: " + e.getMessage());
            System.exit(e.exitCode().code());
            return;
        } catch (RuntimeException | Error e) {
            // Vert.x threads would keep a half-started JVM alive: an unexpected failure must end the process.
            e.printStackTrace();
            System.exit(ExitCode.INTERNAL_ERROR.code());
            return;
        }
        stop.await();
        System.exit(server.drain().code());
    }
}
