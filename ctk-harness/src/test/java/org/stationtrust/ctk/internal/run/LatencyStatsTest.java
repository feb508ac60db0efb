package org.stationtrust.ctk.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.RunReport;

class LatencyStatsTest {

    @Test
    void summarisesEachVerbWithNearestRankPercentilesWhateverTheArrivalOrder() {
        LatencyStats stats = new LatencyStats();
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values, new Random(7));
        values.forEach(v -> stats.add("RCAPTURE", v));
        stats.add("MOSIPDINFO", 4.25);

        Map<String, RunReport.Latency> summary = stats.summary();

        // Nearest rank of p% over 1..200 is ceil(p * 2): 100, 180, 198.
        assertEquals(new RunReport.Latency(200, 100.0, 180.0, 198.0, 200.0), summary.get("RCAPTURE"));
        assertEquals(new RunReport.Latency(1, 4.3, 4.3, 4.3, 4.25), summary.get("MOSIPDINFO"));
        assertEquals(List.of("MOSIPDINFO", "RCAPTURE"), List.copyOf(summary.keySet()));
    }

    @Test
    void aSmallSampleTakesTheHighestValueForTheHighPercentiles() {
        List<Double> sorted = List.of(10.0, 20.0, 30.0);
        assertEquals(20.0, LatencyStats.pct(sorted, 50));
        assertEquals(30.0, LatencyStats.pct(sorted, 90));
        assertEquals(30.0, LatencyStats.pct(sorted, 99));
    }
}
