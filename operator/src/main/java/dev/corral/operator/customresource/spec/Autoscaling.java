package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the operator scales the WebApp: its pods' quotas (vertical) and their number (horizontal). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Autoscaling {
    @JsonPropertyDescription("Quota autoscaling: raise after OOM kills and throttling, lower after sustained low use. With horizontal on, only memory is adjusted.")
    private VerticalScaling vertical;

    @JsonPropertyDescription("Replica autoscaling through an HPA on CPU use of the current quota.")
    private HorizontalScaling horizontal;

    public VerticalScaling getVertical() {
        return vertical;
    }

    public void setVertical(VerticalScaling vertical) {
        this.vertical = vertical;
    }

    public HorizontalScaling getHorizontal() {
        return horizontal;
    }

    public void setHorizontal(HorizontalScaling horizontal) {
        this.horizontal = horizontal;
    }
}
