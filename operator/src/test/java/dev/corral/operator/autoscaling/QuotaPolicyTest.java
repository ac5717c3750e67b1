package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.spec.ApplyMethod;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final long MI = 1024 * 1024;
    /** 250m..4 cores, 256Mi..4Gi, steps 250m/256Mi, x1.5 (at most x2), cooldown 5m, 3 raises, 25% for 5m, 30% headroom, 1h. */
    private static final VerticalPolicy POLICY = new VerticalPolicy(Quota.of("250m", "256Mi"), Quota.of("4", "4Gi"),
            Quota.of("250m", "256Mi"), 1.5, 2.0, Duration.ofMinutes(5), 3, 0.25, Duration.ofMinutes(5), 0.3,
            Duration.ofHours(1), ApplyMethod.Auto);
    private static final Quota SPEC = Quota.of("500m", "768Mi");
    private static final String BASELINE = "cpu=500m,memory=768Mi";

    private static UsageObservation quiet(Instant now, int oomKills) {
        return new UsageObservation(now, oomKills, false, null, -1, -1, Duration.ZERO);
    }

    private static QuotaDecision first(UsageObservation seen) {
        return QuotaPolicy.decide(POLICY, SPEC, BASELINE, null, seen);
    }

    private static QuotaDecision next(QuotaDecision before, UsageObservation seen) {
        return QuotaPolicy.decide(POLICY, SPEC, BASELINE, before.state(), seen);
    }

    @Nested
    class Memory {
        @Test
        void startsAtTheSpecQuotaAndChangesNothingWhenQuiet() {
            QuotaDecision decision = first(quiet(T0, 0));
            assertThat(decision.state().effective()).isEqualTo(SPEC);
            assertThat(decision.changes()).isEmpty();
        }

        @Test
        void theFirstOomKillRaisesAtOnceByTheFactor() {
            QuotaDecision start = first(quiet(T0, 0));
            QuotaDecision raised = next(start, quiet(T0.plusSeconds(10), 1));
            assertThat(raised.state().effective().memoryText()).isEqualTo("1152Mi"); // 768Mi x 1.5
            assertThat(raised.changes()).singleElement().satisfies(c -> {
                assertThat(c.eventReason()).isEqualTo("QuotaRaised");
                assertThat(c.message()).isEqualTo("memory raised from 768Mi to 1152Mi: 1 OOM kill(s) since the last change (raise 1 of at most 3 in a row)");
            });
            assertThat(raised.state().memoryRaises()).isEqualTo(1);
            assertThat(raised.state().oomKillsHandled()).isEqualTo(1);
            assertThat(next(raised, quiet(T0.plusSeconds(20), 1)).changes()).as("a kill is acted on once").isEmpty();
        }

        @Test
        void killsBeforeTheAutoscalerStartedAreNotActedOn() {
            assertThat(first(quiet(T0, 4)).changes()).isEmpty();
        }

        @Test
        void aSmallQuotaRisesByAtLeastTheStepButNeverPastTheMaxFactor() {
            VerticalPolicy policy = new VerticalPolicy(Quota.of("250m", "128Mi"), POLICY.max(), Quota.of("250m", "512Mi"), 1.5, 2.0,
                    POLICY.cooldown(), 3, 0.25, POLICY.sustainFor(), 0.3, POLICY.lowerAfter(), ApplyMethod.Auto);
            Quota small = Quota.of("500m", "128Mi");
            QuotaDecision start = QuotaPolicy.decide(policy, small, "b", null, quiet(T0, 0));
            QuotaDecision raised = QuotaPolicy.decide(policy, small, "b", start.state(), quiet(T0.plusSeconds(1), 1));
            // 128Mi + 512Mi step would be x5: capped at x2.
            assertThat(raised.state().effective().memoryText()).isEqualTo("256Mi");
            assertThat(QuotaPolicy.raise(1024 * MI, 512 * MI, policy, 4096 * MI, MI)).as("step beats factor").isEqualTo(1536 * MI);
        }

        @Test
        void repeatedKillsWaitForAnExponentialBackoff() {
            QuotaDecision d = next(first(quiet(T0, 0)), quiet(T0, 1));                   // raise 1 at T0
            d = next(d, quiet(T0.plus(Duration.ofMinutes(4)), 2));                       // inside 5m: wait
            assertThat(d.changes()).isEmpty();
            assertThat(d.state().oomKillsHandled()).as("still pending").isEqualTo(1);
            d = next(d, quiet(T0.plus(Duration.ofMinutes(5)), 2));                       // 5m: raise 2
            assertThat(d.changes()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("1728Mi"));
            Instant second = T0.plus(Duration.ofMinutes(5));
            d = next(d, quiet(second.plus(Duration.ofMinutes(9)), 3));                   // now 10m backoff: wait
            assertThat(d.changes()).isEmpty();
            d = next(d, quiet(second.plus(Duration.ofMinutes(10)), 3));                  // raise 3
            assertThat(d.changes()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("2592Mi"));
            assertThat(d.state().memoryRaises()).isEqualTo(3);
        }

        @Test
        void killsAfterMaxRaisesMeanASuspectedLeakNotAnotherRaise() {
            QuotaDecision d = first(quiet(T0, 0));
            Instant t = T0;
            for (int kill = 1; kill <= 3; kill++) {
                t = t.plus(Duration.ofHours(1).minusSeconds(1));  // kills keep coming inside the quiet period
                d = next(d, quiet(t, kill));
            }
            assertThat(d.state().memoryRaises()).isEqualTo(3);
            Quota before = d.state().effective();
            d = next(d, quiet(t.plus(Duration.ofMinutes(30)), 4));
            assertThat(d.changes()).isEmpty();
            assertThat(d.state().effective()).isEqualTo(before);
            assertThat(d.state().leakSuspected()).isTrue();
            assertThat(d.state().leakEvidence()).contains("after 3 raises in a row").contains("2592Mi");
            assertThat(d.state().oomKillsHandled()).isEqualTo(4);
        }

        @Test
        void killsAtTheCeilingMeanASuspectedLeak() {
            Quota big = Quota.of("500m", "4Gi");
            QuotaDecision d = QuotaPolicy.decide(POLICY, big, "big", null, quiet(T0, 0));
            d = QuotaPolicy.decide(POLICY, big, "big", d.state(), quiet(T0.plusSeconds(5), 2));
            assertThat(d.changes()).isEmpty();
            assertThat(d.state().leakEvidence()).startsWith("2 OOM kill(s) at the memory ceiling 4Gi (maxMemory)");
        }

        @Test
        void aRaiseStopsAtTheCeiling() {
            Quota near = Quota.of("500m", "3Gi");
            QuotaDecision d = QuotaPolicy.decide(POLICY, near, "near", null, quiet(T0, 0));
            d = QuotaPolicy.decide(POLICY, near, "near", d.state(), quiet(T0.plusSeconds(5), 1));
            assertThat(d.state().effective().memoryText()).isEqualTo("4Gi");
            assertThat(d.state().leakSuspected()).isFalse();
        }

        @Test
        void aChangedSpecResetsTheAutoscalerAndClearsTheSuspicion() {
            Quota big = Quota.of("500m", "4Gi");
            QuotaDecision d = QuotaPolicy.decide(POLICY, big, "big", null, quiet(T0, 0));
            d = QuotaPolicy.decide(POLICY, big, "big", d.state(), quiet(T0.plusSeconds(5), 1));
            assertThat(d.state().leakSuspected()).isTrue();
            QuotaDecision reset = QuotaPolicy.decide(POLICY, SPEC, BASELINE, d.state(), quiet(T0.plusSeconds(10), 1));
            assertThat(reset.state().leakSuspected()).isFalse();
            assertThat(reset.state().effective()).isEqualTo(SPEC);
            assertThat(reset.state().oomKillsHandled()).isEqualTo(1);
        }

        @Test
        void sustainedLowUseLowersSlowlyToPeakPlusHeadroomButNotBelowTheMinimum() {
            Quota big = Quota.of("500m", "2Gi");
            QuotaDecision d = QuotaPolicy.decide(POLICY, big, "big", null, quiet(T0, 0));
            UsageObservation low = new UsageObservation(T0.plus(Duration.ofHours(1)), 0, false, null, 300 * MI, -1, Duration.ofHours(1));
            d = QuotaPolicy.decide(POLICY, big, "big", d.state(), low);
            // target 390Mi, but at most a quarter at a time: 2Gi -> 1536Mi.
            assertThat(d.changes()).singleElement().satisfies(c -> {
                assertThat(c.eventReason()).isEqualTo("QuotaLowered");
                assertThat(c.to()).isEqualTo("1536Mi");
                assertThat(c.reason()).contains("peak use 300Mi").contains("30% headroom");
            });
            Instant t = low.now();
            for (int i = 0; i < 10; i++) {
                t = t.plus(Duration.ofHours(1));
                d = QuotaPolicy.decide(POLICY, big, "big", d.state(), new UsageObservation(t, 0, false, null, 100 * MI, -1, Duration.ofHours(1)));
            }
            // Peak + headroom is 130Mi, but never below minMemory (256Mi); steps under 10% are not taken.
            assertThat(d.state().effective().memoryBytes()).isBetween(256 * MI, 256 * MI * 10 / 9);
        }

        @Test
        void noLoweringBeforeAFullWindowWasObservedOrSoonAfterAChange() {
            Quota big = Quota.of("500m", "2Gi");
            QuotaDecision d = QuotaPolicy.decide(POLICY, big, "big", null, quiet(T0, 0));
            var shortWindow = new UsageObservation(T0.plus(Duration.ofHours(1)), 0, false, null, 300 * MI, -1, Duration.ofMinutes(20));
            assertThat(QuotaPolicy.decide(POLICY, big, "big", d.state(), shortWindow).changes()).isEmpty();
            d = QuotaPolicy.decide(POLICY, big, "big", d.state(), quiet(T0.plusSeconds(1), 1));            // raise: 3Gi
            var soon = new UsageObservation(T0.plus(Duration.ofMinutes(30)), 1, false, null, 300 * MI, -1, Duration.ofHours(1));
            assertThat(QuotaPolicy.decide(POLICY, big, "big", d.state(), soon).changes()).isEmpty();
        }

        @Test
        void usageCloseToTheQuotaIsNotWorthLowering() {
            QuotaDecision d = first(quiet(T0, 0));
            var busy = new UsageObservation(T0.plus(Duration.ofHours(2)), 0, false, null, 560 * MI, -1, Duration.ofHours(1));
            assertThat(next(d, busy).changes()).as("560Mi + 30% = 728Mi is within 10% of 768Mi").isEmpty();
        }
    }

    @Nested
    class Cpu {
        @Test
        void sustainedThrottlingRaisesCpu() {
            QuotaDecision d = first(quiet(T0, 0));
            var brief = new UsageObservation(T0.plus(Duration.ofMinutes(4)), 0, false, T0, -1, -1, Duration.ofMinutes(4));
            assertThat(next(d, brief).changes()).as("4 minutes is not sustained").isEmpty();
            var sustained = new UsageObservation(T0.plus(Duration.ofMinutes(5)), 0, false, T0, -1, -1, Duration.ofMinutes(5));
            QuotaDecision raised = next(d, sustained);
            assertThat(raised.changes()).singleElement().satisfies(c -> {
                assertThat(c.resource()).isEqualTo("cpu");
                assertThat(c.from()).isEqualTo("500m");
                assertThat(c.to()).isEqualTo("750m"); // 500m x 1.5 = 750m = 500m + 250m step
                assertThat(c.reason()).contains("25% of CPU periods for 5m");
            });
            // Still throttled a minute later: backoff (5m) first.
            var stillThrottled = new UsageObservation(T0.plus(Duration.ofMinutes(6)), 0, false, T0, -1, -1, Duration.ofMinutes(6));
            assertThat(next(raised, stillThrottled).changes()).isEmpty();
        }

        @Test
        void withHorizontalScalingOnCpuIsTheHpasAndMemoryStillRises() {
            QuotaDecision d = first(quiet(T0, 0));
            var throttledAndKilled = new UsageObservation(T0.plus(Duration.ofMinutes(10)), 1, true, T0, -1, -1, Duration.ofMinutes(10));
            QuotaDecision decision = next(d, throttledAndKilled);
            assertThat(decision.changes()).extracting(QuotaChange::resource).containsExactly("memory");
            assertThat(decision.state().effective().milliCpu()).isEqualTo(500);
            var idle = new UsageObservation(T0.plus(Duration.ofHours(3)), 1, true, null, -1, 0.01, Duration.ofHours(1));
            assertThat(next(decision, idle).changes()).extracting(QuotaChange::resource).doesNotContain("cpu");
        }

        @Test
        void idleCpuComesDownToPeakPlusHeadroom() {
            Quota big = Quota.of("2", "768Mi");
            QuotaDecision d = QuotaPolicy.decide(POLICY, big, "big", null, quiet(T0, 0));
            var idle = new UsageObservation(T0.plus(Duration.ofHours(1)), 0, false, null, -1, 1.0, Duration.ofHours(1));
            QuotaDecision lowered = QuotaPolicy.decide(POLICY, big, "big", d.state(), idle);
            assertThat(lowered.changes()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("1500m")); // quarter at most
            var later = new UsageObservation(T0.plus(Duration.ofHours(2)), 0, false, null, -1, 1.0, Duration.ofHours(1));
            assertThat(QuotaPolicy.decide(POLICY, big, "big", lowered.state(), later).state().effective().cpuText())
                    .as("1.0 core + 30% = 1300m").isEqualTo("1300m");
        }

        @Test
        void aSpecOutsideTheBoundsIsHeldWithinThem() {
            QuotaDecision d = QuotaPolicy.decide(POLICY, Quota.of("8", "128Mi"), "x", null, quiet(T0, 0));
            assertThat(d.state().effective()).isEqualTo(Quota.of("4", "256Mi"));
        }
    }

    @Test
    void durationsReadAsKubernetesWritesThem() {
        assertThat(VerticalPolicy.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(VerticalPolicy.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(VerticalPolicy.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VerticalPolicy.duration("5 minutes"))
                .hasMessageContaining("not a duration");
    }
}
