package dev.corral.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigParserTest {

    @Test
    void defaultsApplyWhenNothingIsGiven() throws ConfigException {
        ServerConfig config = new ServerConfigParser(Map.of()).parse(new String[0]);
        assertThat(config.bundle()).isEqualTo(Path.of("/bundle"));
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.adminPort()).isEqualTo(9090);
        assertThat(config.workers()).isZero();
        assertThat(config.maxBodySize()).isEqualTo(10L << 20);
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.mode()).isEqualTo(ServerConfig.Mode.PRODUCTION);
        assertThat(config.envPass()).isEmpty();
        assertThat(config.budget()).isEqualTo(new dev.corral.server.budget.RequestBudget(Duration.ofSeconds(30), Duration.ofSeconds(10), 1L << 30));
        assertThat(config.maxRequests()).isZero();
        assertThat(config.queueSize()).as("auto").isZero();
        assertThat(config.maxQueueWait()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theQueueWaitBoundIsSettableAndZeroTurnsItOff() throws ConfigException {
        assertThat(new ServerConfigParser(Map.of("CORRAL_MAX_QUEUE_WAIT", "250ms")).parse(new String[0]).maxQueueWait())
                .isEqualTo(Duration.ofMillis(250));
        assertThat(new ServerConfigParser(Map.of()).parse(new String[]{"--max-queue-wait", "0"}).maxQueueWait()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--max-queue-wait", "a while"}))
                .hasMessageContaining("--max-queue-wait (CORRAL_MAX_QUEUE_WAIT) is 'a while'");
    }

    @Test
    void theTransportIsEpollUnlessAnotherIsNamed() throws ConfigException {
        assertThat(new ServerConfigParser(Map.of()).parse(new String[0]).transport()).isEqualTo(NetworkTransport.EPOLL);
        assertThat(new ServerConfigParser(Map.of("CORRAL_TRANSPORT", "io_uring")).parse(new String[0]).transport())
                .isEqualTo(NetworkTransport.IO_URING);
        assertThat(new ServerConfigParser(Map.of()).parse(new String[]{"--transport", "NIO"}).transport()).isEqualTo(NetworkTransport.NIO);
        assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--transport", "uring"}))
                .hasMessage("--transport (CORRAL_TRANSPORT) is 'uring'; expected epoll, io_uring or nio");
    }

    @Test
    void budgetsAndRecyclingAreSettable() throws ConfigException {
        ServerConfig config = new ServerConfigParser(Map.of("CORRAL_REQUEST_MEMORY", "0"))
                .parse(new String[]{"--request-timeout", "5s", "--request-cpu", "250ms", "--max-requests", "1000", "--max-requests-jitter", "50"});
        assertThat(config.budget()).isEqualTo(new dev.corral.server.budget.RequestBudget(Duration.ofSeconds(5), Duration.ofMillis(250), 0));
        assertThat(config.maxRequests()).isEqualTo(1000);
        assertThat(config.maxRequestsJitter()).isEqualTo(50);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--max-requests", "-1"}))
                .hasMessageContaining("0 or more");
    }

    @Test
    void flagBeatsEnvironmentWhichBeatsDefault() throws ConfigException {
        ServerConfig config = new ServerConfigParser(Map.of("CORRAL_PORT", "9000", "CORRAL_WORKERS", "3"))
                .parse(new String[]{"--port", "7000", "--max-body-size=1m", "--env-pass", "A, B"});
        assertThat(config.port()).isEqualTo(7000);
        assertThat(config.workers()).isEqualTo(3);
        assertThat(config.maxBodySize()).isEqualTo(1L << 20);
        assertThat(config.envPass()).containsExactly("A", "B");
    }

    @Test
    void invalidValuesNameTheSettingAndWhatIsAccepted() {
        ServerConfigParser parser = new ServerConfigParser(Map.of("CORRAL_IDLE_TIMEOUT", "soon"));
        assertThatThrownBy(() -> parser.parse(new String[0]))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--idle-timeout (CORRAL_IDLE_TIMEOUT) is 'soon'")
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--port", "70000"}))
                .hasMessageContaining("--port").hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--workers", "0"}))
                .hasMessageContaining("auto or a whole number");
        assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--mode", "fast"}))
                .hasMessageContaining("production or development");
        assertThatThrownBy(() -> new ServerConfigParser(Map.of("CORRAL_ENTRYPOINT", "app:make-app")).parse(new String[0]))
                .hasMessageContaining("CORRAL_ENTRYPOINT").hasMessageContaining("module:callable");
    }

    @Test
    void unknownFlagsAndMissingValuesAreRefused() {
        assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--prot", "1"}))
                .hasMessageContaining("unknown setting --prot");
        assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"--port"}))
                .hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> new ServerConfigParser(Map.of()).parse(new String[]{"bundle"}))
                .hasMessageContaining("unexpected argument 'bundle'");
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        String help = ServerConfigParser.help();
        for (ServerOption option : ServerOption.values()) {
            assertThat(help).contains("--" + option.flag()).contains(option.envVar());
        }
        assertThat(help).contains("default: 10m");
        assertThat(ServerConfigParser.wantsHelp(new String[]{"--port", "1", "--help"})).isTrue();
        assertThat(ServerConfigParser.wantsHelp(new String[]{"--port", "1"})).isFalse();
    }
}
