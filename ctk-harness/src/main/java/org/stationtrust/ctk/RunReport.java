package org.stationtrust.ctk;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A whole run: the device, every case result, latency percentiles per verb and where the time went.
 * {@code complete} is false when the run was interrupted (Ctrl-C) and the report is partial.
 */
public record RunReport(
        String tool,
        String catalogueSpecVersion,
        Instant startedAt,
        Instant finishedAt,
        boolean complete,
        Map<String, String> device,
        List<CaseResult> results,
        Map<String, Latency> latency,
        Timing timing,
        LabContext lab) {

    /** Milliseconds per verb over all answered exchanges. */
    public record Latency(int count, double p50, double p90, double p99, double max) {
    }

    /** Wall time, time waiting on the device, time the operator took, and the harness's own share. */
    public record Timing(double wallMs, double deviceMs, double operatorMs, double harnessMs, double harnessPercent) {
    }

    public RunReport {
        device = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(device));
        results = List.copyOf(results);
        latency = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(latency));
        java.util.Objects.requireNonNull(lab, "lab");
    }

    /** Cases a certification still needs a person for: skipped because the run was non-interactive. */
    public List<CaseResult> needingPerson() {
        return results.stream().filter(r -> r.outcome() == CaseResult.Outcome.SKIPPED
                && r.reason().startsWith("skipped: needs operator")).toList();
    }

    public long count(CaseResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /**
     * 0 when every case that ran passed and the run is complete; 1 when a case failed; 3 when the
     * run was interrupted. Skipped cases (not applicable to the device, or needing an operator in a
     * non-interactive run) were not selected to run and do not count.
     */
    public int exitCode() {
        if (count(CaseResult.Outcome.FAILED) > 0) {
            return 1;
        }
        if (!complete) {
            return 3;
        }
        return count(CaseResult.Outcome.PASSED) > 0 ? 0 : 1;
    }
}
