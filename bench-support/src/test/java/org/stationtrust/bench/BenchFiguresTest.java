package org.stationtrust.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchFiguresTest {
    @TempDir
    Path dir;

    @Test
    void theFiguresFileIsJsonThatScriptsBenchCanReadBack() throws Exception {
        String previous = System.getProperty("bench.out");
        System.setProperty("bench.out", dir.toString());
        try {
            Path file = BenchFigures.writeBenchFigures("demo-module",
                    BenchFigures.benchFigure("signatures/s", 3130.25, 3290.0, "signatures/s", 3130.25 / 3290.0,
                            "ratio >= 0.9", true, "limit: raw \"TPM2_Sign\" replay\non C:\\swtpm\tsocket\u0001"),
                    BenchFigures.benchFigure("cold start", 1.5, null, "s", Double.NaN, null, null, null));
            assertEquals(dir.resolve("demo-module.json"), file);
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            assertEquals("demo-module", root.path("module").asText());
            JsonNode first = root.path("figures").path(0);
            assertEquals(3130.25, first.path("ours").asDouble(), 1e-9);
            assertEquals(0.9514, first.path("ratio").asDouble(), 1e-9, "four decimals, dot as separator");
            assertTrue(first.path("met").asBoolean());
            assertEquals("limit: raw \"TPM2_Sign\" replay\non C:\\swtpm\tsocket\u0001", first.path("note").asText(),
                    "quotes, backslashes and control characters survive the round trip");
            JsonNode second = root.path("figures").path(1);
            assertTrue(second.path("limit").isNull() && second.path("ratio").isNull() && second.path("met").isNull()
                    && second.path("target").isNull(), second.toString());
        } finally {
            if (previous == null) {
                System.clearProperty("bench.out");
            } else {
                System.setProperty("bench.out", previous);
            }
        }
    }
}
