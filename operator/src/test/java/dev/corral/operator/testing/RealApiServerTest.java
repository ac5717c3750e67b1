package dev.corral.operator.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard around kube-api-test's wall-clock readiness deadline, which wraps at midnight. */
class RealApiServerTest {
    private static final Duration WINDOW = Duration.ofMinutes(6).plusSeconds(30);

    @Test
    void aStartWhoseWaitsEndBeforeMidnightGoesAtOnce() {
        assertThat(RealApiServer.midnightWait(LocalTime.of(12, 0), WINDOW)).isZero();
        assertThat(RealApiServer.midnightWait(LocalTime.of(23, 53, 29), WINDOW)).isZero();
        assertThat(RealApiServer.midnightWait(LocalTime.MIDNIGHT, WINDOW)).isZero();
    }

    @Test
    void aStartWhoseWaitsCouldReachMidnightWaitsForTheNewDay() {
        // CI's failing run: the operator's ITs started at 23:57:50.
        assertThat(RealApiServer.midnightWait(LocalTime.of(23, 57, 50), WINDOW)).isEqualTo(Duration.ofSeconds(131));
        assertThat(RealApiServer.midnightWait(LocalTime.of(23, 53, 30), WINDOW)).isEqualTo(Duration.ofSeconds(391));
        assertThat(RealApiServer.midnightWait(LocalTime.of(23, 59, 59, 500_000_000), WINDOW)).isEqualTo(Duration.ofMillis(1500));
    }
}
