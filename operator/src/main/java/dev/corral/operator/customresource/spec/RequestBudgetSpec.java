package dev.corral.operator.customresource.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Default per-request budgets for the WebApp's servers; routes may override them in the bundle manifest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RequestBudgetSpec {
    @Pattern("^([0-9]+(ms|s|m|h)?|off)$")
    @JsonPropertyDescription("Wall-clock budget of one request, e.g. 30s; past it the request gets 504. 'off' lifts it.")
    private String timeout;

    @Pattern("^([0-9]+(ms|s|m|h)?|off)$")
    @JsonPropertyDescription("CPU-time budget of one request, e.g. 10s; past it the request gets 503. 'off' lifts it.")
    private String cpu;

    @Pattern("^([0-9]+([kKmMgG]i?)?|off)$")
    @JsonPropertyDescription("Bytes one request may allocate, e.g. 512Mi; past it the request gets 503. 'off' lifts it.")
    private String memory;

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getCpu() {
        return cpu;
    }

    public void setCpu(String cpu) {
        this.cpu = cpu;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }
}
