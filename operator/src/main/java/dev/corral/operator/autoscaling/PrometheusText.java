package dev.corral.operator.autoscaling;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** The samples of a Prometheus text exposition, by metric name (unlabelled series, or the first series). */
public final class PrometheusText {
    private final Map<String, Double> values;

    private PrometheusText(Map<String, Double> values) {
        this.values = values;
    }

    public static PrometheusText parse(String text) {
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = 0;
            while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
                nameEnd++;
            }
            String name = line.substring(0, nameEnd);
            int valueStart = nameEnd < line.length() && line.charAt(nameEnd) == '{' ? line.lastIndexOf('}') + 1 : nameEnd;
            String[] rest = line.substring(valueStart).trim().split(" ");
            try {
                values.putIfAbsent(name, Double.parseDouble(rest[0]));
            } catch (NumberFormatException e) {
                // Not a sample line this parser understands; other metrics still count.
            }
        }
        return new PrometheusText(values);
    }

    /** The value of a metric, trying the counter spelling with _total too. */
    public OptionalDouble value(String name) {
        Double value = values.get(name);
        if (value == null) {
            value = values.get(name + "_total");
        }
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
