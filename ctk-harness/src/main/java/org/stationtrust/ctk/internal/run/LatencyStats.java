package org.stationtrust.ctk.internal.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.stationtrust.ctk.RunReport;

/** Latencies per SBI verb, summarised as nearest-rank percentiles. Thread-safe. */
public final class LatencyStats {
    private final Map<String, List<Double>> byVerb = new TreeMap<>();

    public synchronized void add(String verb, double millis) {
        byVerb.computeIfAbsent(verb, v -> new ArrayList<>()).add(millis);
    }

    public synchronized Map<String, RunReport.Latency> summary() {
        Map<String, RunReport.Latency> out = new TreeMap<>();
        byVerb.forEach((verb, values) -> {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            out.put(verb, new RunReport.Latency(sorted.size(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                    sorted.get(sorted.size() - 1)));
        });
        return out;
    }

    /** Nearest-rank percentile of a sorted, non-empty list. */
    static double pct(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        double v = sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        return Math.round(v * 10) / 10.0;
    }
}
