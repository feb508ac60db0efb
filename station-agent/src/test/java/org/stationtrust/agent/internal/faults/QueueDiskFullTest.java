package org.stationtrust.agent.internal.faults;

import static org.stationtrust.agent.testing.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.StationFixture;

/**
 * The agent's state directory (queue, audit log) on a small tmpfs that is then filled: a capture is refused
 * with a reason (never a 500), nothing already stored is damaged (SQLite integrity check, audit chain), and
 * captures work again once space is freed. Needs root to mount; skipped with the reason otherwise.
 */
class QueueDiskFullTest {
    @TempDir Path dir;

    @Test
    void aFullDiskRefusesCapturesClearlyDamagesNothingAndRecoversWhenSpaceIsFreed() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", mount.toString()) == 0,
                "mounting a 3 MiB tmpfs needs root (mount -t tmpfs); not permitted here");
        Path state = mount.resolve("state");
        try (StationFixture station = new StationFixture(dir.resolve("station"));
             RunningAgent agent = RunningAgent.start(station.config("disk-full", "", Map.of("STATION_AGENT_STATE_DIR", state.toString())),
                     Clock.systemUTC())) {
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            assertEquals(200, client.post("/v1/captures", order("R-1")).status());
            Path filler = mount.resolve("filler");
            fill(filler);

            // The last partly used pages of the queue and the audit log may still take a record or two.
            AgentClient.Answer refused = null;
            java.util.List<String> acknowledged = new java.util.ArrayList<>();
            for (int i = 0; i < 20 && refused == null; i++) {
                AgentClient.Answer a = client.post("/v1/captures", order("R-full-" + i));
                if (a.status() == 200) acknowledged.add(a.body().path("packetId").asText());
                else refused = a;
            }
            System.out.println("disk full: acknowledged " + acknowledged.size() + ", then " + (refused == null ? "none refused"
                    : refused.status() + " " + refused.body()));
            assertTrue(refused != null, "captures cannot go on being stored on a full disk");
            assertEquals(503, refused.status(), refused.body().toString());
            assertEquals("storage_unavailable", refused.body().path("error").path("code").asText());
            assertTrue(refused.body().path("error").path("message").asText().contains("disk"), "a reason the operator can act on: " + refused.body());
            String audit = Files.readString(state.resolve("audit.jsonl"));
            for (String packetId : acknowledged) assertTrue(audit.contains(packetId), "acknowledged capture " + packetId + " is audited");

            Files.delete(filler);
            AgentClient.Answer after = client.post("/v1/captures", order("R-3"));
            assertEquals(200, after.status(), after.body().toString());
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + state.resolve("queue.db") + "?mode=ro");
                 ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1));
            }
            StationFaultsTest.assertAuditIntact(agent);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static String order(String registration) {
        return "{\"modality\":\"Face\",\"deviceSubId\":0,\"consentReference\":\"c-1\",\"registrationId\":\"" + registration + "\"}";
    }

    private static void fill(Path filler) {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            // ENOSPC: the disk is full
        }
    }
}
