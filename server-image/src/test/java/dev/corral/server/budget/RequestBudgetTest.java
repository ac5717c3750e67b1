package dev.corral.server.budget;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBudgetTest {
    private final RequestBudget budget = new RequestBudget(Duration.ofSeconds(2), Duration.ofMillis(500), 64L << 20);

    @Test
    void withinEveryBudgetThereIsNoBreach() {
        assertThat(budget.check(1_000_000_000L, 400_000_000L, 10L << 20)).isNull();
    }

    @Test
    void eachBudgetIsCheckedTimeFirst() {
        assertThat(budget.check(2_100_000_000L, 600_000_000L, 100L << 20).kind()).isEqualTo(BudgetKind.TIME);
        assertThat(budget.check(1_000_000_000L, 600_000_000L, 100L << 20).kind()).isEqualTo(BudgetKind.CPU);
        Breach memory = budget.check(1_000_000_000L, 1, 100L << 20);
        assertThat(memory.kind()).isEqualTo(BudgetKind.MEMORY);
        assertThat(memory.clientMessage()).isEqualTo("the request exceeded its memory budget (64 MiB allocated)");
        assertThat(memory.used()).isEqualTo("100 MiB");
    }

    @Test
    void zeroMeansUnlimited() {
        assertThat(RequestBudget.UNLIMITED.check(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)).isNull();
        assertThat(RequestBudget.UNLIMITED.isUnlimited()).isTrue();
        assertThat(budget.isUnlimited()).isFalse();
        assertThatThrownBy(() -> new RequestBudget(Duration.ofSeconds(-1), Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStatusTellsTimeFromResources() {
        assertThat(BudgetKind.TIME.status()).isEqualTo(504);
        assertThat(BudgetKind.CPU.status()).isEqualTo(503);
        assertThat(BudgetKind.MEMORY.status()).isEqualTo(503);
        assertThat(budget.check(3_000_000_000L, 0, 0).clientMessage()).isEqualTo("the request exceeded its time budget (2.00 s)");
    }

    @Test
    void theLongestMatchingRoutePrefixWinsAndOverridesOnlyWhatItNames() {
        Map<String, BudgetOverride> overrides = new LinkedHashMap<>();
        overrides.put("/reports/", new BudgetOverride(Duration.ofSeconds(120), null, null));
        overrides.put("/reports/huge/", new BudgetOverride(null, Duration.ZERO, 0L, 2));
        BudgetRules rules = new BudgetRules(budget, overrides);

        assertThat(rules.forPath("/home")).isEqualTo(new BudgetRules.Route("default", budget, 0));
        assertThat(rules.forPath("/reports/q1").budget()).isEqualTo(new RequestBudget(Duration.ofSeconds(120), Duration.ofMillis(500), 64L << 20));
        BudgetRules.Route huge = rules.forPath("/reports/huge/all");
        assertThat(huge.prefix()).isEqualTo("/reports/huge/");
        assertThat(huge.budget()).isEqualTo(new RequestBudget(Duration.ofSeconds(2), Duration.ZERO, 0));
        assertThat(huge.maxConcurrent()).isEqualTo(2);
        assertThat(rules.routes()).extracting(BudgetRules.Route::prefix).containsExactly("/reports/huge/", "/reports/");
    }
}
