package dev.corral.operator.autoscaling;

/**
 * One change of one resource's quota, with its reason.
 *
 * @param resource "memory" or "cpu"
 * @param raised   true for a raise, false for a lowering
 * @param from     the quota before ("768Mi", "500m")
 * @param to       the quota after
 * @param reason   why, in words a user reads in the Event
 */
public record QuotaChange(String resource, boolean raised, String from, String to, String reason) {
    /** The Event's reason. */
    public String eventReason() {
        return raised ? "QuotaRaised" : "QuotaLowered";
    }

    public String message() {
        return resource + " " + (raised ? "raised" : "lowered") + " from " + from + " to " + to + ": " + reason;
    }
}
