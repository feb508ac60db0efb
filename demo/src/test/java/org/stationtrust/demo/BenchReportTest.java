package org.stationtrust.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregation scripts/bench ends with: module files in, one table out. */
class BenchReportTest {
    @TempDir
    Path dir;

    @Test
    void putsEveryModulesFiguresInOneTableInModuleOrderAndNamesTheMissingOnes() throws Exception {
        Files.writeString(dir.resolve("station-agent.json"), "{\"module\":\"station-agent\",\"figures\":[{\"figure\":"
                + "\"capture-to-signed-packet\",\"ours\":21.5,\"limit\":9.93,\"unit\":\"ms\",\"ratio\":2.165,"
                + "\"target\":\"ours - limit <= 1 TPM signature + 5 ms\",\"met\":false,\"note\":\"a | pipe\"}]}");
        Files.writeString(dir.resolve("tpm.json"), "{\"module\":\"tpm\",\"figures\":[{\"figure\":\"signatures/s\","
                + "\"ours\":2547.0,\"limit\":3336.0,\"unit\":\"signatures/s\",\"ratio\":0.976,\"target\":\"ratio >= 0.9\","
                + "\"met\":true,\"note\":\"n\"},{\"figure\":\"quotes/s\",\"ours\":1174.2,\"limit\":null,\"unit\":\"quotes/s\","
                + "\"ratio\":null,\"target\":\"reported\",\"met\":null,\"note\":\"\"}]}");

        Path md = BenchReport.aggregate(dir);

        List<String> rows = Files.readAllLines(md).stream().filter(l -> l.startsWith("| ") && !l.startsWith("| module")).toList();
        assertEquals(3, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).startsWith("| tpm | signatures/s | 2547 signatures/s | 3336 signatures/s | 0.976 | ratio >= 0.9 | yes |"),
                rows.get(0));
        assertTrue(rows.get(1).contains("| 1174 quotes/s | - | - | reported | - |"), rows.get(1));
        assertTrue(rows.get(2).startsWith("| station-agent |") && rows.get(2).contains("| **no** |")
                && rows.get(2).contains("a \\| pipe"), rows.get(2));
        String text = Files.readString(md);
        assertTrue(text.contains("No figures from: sbi-client, server-enroll, ctk-harness, memory"), text);

        JsonNode json = JsonHttp.JSON.readTree(Files.readString(dir.resolve("report.json")));
        assertEquals(3, json.path("figures").size());
        assertEquals("tpm", json.path("figures").get(0).path("module").asText());
        assertEquals(4, json.path("missing").size());
    }
}
