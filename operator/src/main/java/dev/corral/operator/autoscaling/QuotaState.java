package dev.corral.operator.autoscaling;

import java.time.Instant;

/**
 * What the vertical autoscaler carries from one decision to the next (kept in the WebApp's status).
 *
 * @param effective        the quota the pods should run with
 * @param baseline         the spec quota and policy this state started from; a change resets it
 * @param memoryRaises     memory raises in a row
 * @param cpuRaises        CPU raises in a row
 * @param lastMemoryChange when memory last changed, or null
 * @param lastCpuChange    when CPU last changed, or null
 * @param oomKillsHandled  the WebApp's OOM kill count already acted on
 * @param leakEvidence     why a memory leak is suspected, or null
 */
public record QuotaState(Quota effective, String baseline, int memoryRaises, int cpuRaises, Instant lastMemoryChange,
                         Instant lastCpuChange, int oomKillsHandled, String leakEvidence) {

    /** A fresh start from the spec's quota: earlier kills count as handled. */
    static QuotaState start(Quota quota, String baseline, int oomKills) {
        return new QuotaState(quota, baseline, 0, 0, null, null, oomKills, null);
    }

    public boolean leakSuspected() {
        return leakEvidence != null;
    }
}
