package org.stationtrust.agent.internal.faults;

import static org.stationtrust.agent.testing.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;

/**
 * An enrolled, active station whose state directory is a 3 MiB tmpfs, with the server down, keeps capturing while
 * its disks fill. The audit log sits on a second, 64 KiB tmpfs (bind-mounted onto {@code audit.jsonl}), so the
 * dangerous case is reached for certain: the queue still has room while the audit record no longer fits. Then the
 * whole state directory is filled. After every answer the packets waiting in the queue are exactly the captures
 * the audit log records as completed: a capture that could not be stored whole (packet and audit record) leaves
 * neither behind and answers 503 storage_unavailable. Once space is freed the operator captures the refused registrations again; when
 * the server is back it holds exactly one packet per acknowledged capture, none from a refused one, and the audit
 * chain verifies. Needs root to mount (CI runs as root); skipped with the reason otherwise.
 */
class CaptureOnFullDiskDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @Test
    void aCaptureRefusedOnAFullDiskLeavesNoQueuedPacketAndARecaptureIsDeliveredExactlyOnce() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        Path auditDisk = Files.createDirectories(dir.resolve("audit-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", mount.toString()) == 0,
                "mounting a 3 MiB tmpfs needs root (mount -t tmpfs); not permitted here");
        Path state = Files.createDirectory(mount.resolve("state"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path auditFile = Files.createFile(state.resolve("audit.jsonl"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        boolean auditMounted = run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", auditDisk.toString()) == 0
                && run("touch", auditDisk.resolve("audit.jsonl").toString()) == 0
                && run("chmod", "600", auditDisk.resolve("audit.jsonl").toString()) == 0
                && run("mount", "--bind", auditDisk.resolve("audit.jsonl").toString(), auditFile.toString()) == 0;
        try (StationFixture station = new StationFixture(dir.resolve("station"));
             ServerFixture server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(),
                     Duration.ofHours(1), true)) {
            AgentConfig config = station.productionConfig("full-disk", server.url(), server.pin(),
                    Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken(),
                            "STATION_AGENT_STATE_DIR", state.toString()));
            try (RunningAgent agent = RunningAgent.start(config, Clock.systemUTC())) {
                await("enrollment", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
                String machineId = agent.identity().state().machineId();
                server.admin("POST", "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"disk full test\"}");
                await("approval", () -> agent.identity().state().phase() == EnrollmentPhase.ACTIVE);
                await("the start-up records to be delivered", () -> agent.queue().counts().waiting() == 0);
                AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
                Set<String> acknowledged = new TreeSet<>();
                server.stop();
                acknowledged.add(captureOk(client, "R-0"));
                assertQueuedPacketsMatchTheAudit(state);

                List<String> refusedRegistrations = new ArrayList<>();
                if (auditMounted) {
                    Path auditFiller = auditDisk.resolve("filler");
                    fill(auditFiller);
                    int before = refusedRegistrations.size();
                    int fitted = captureUntilRefused(client, "R-A-", acknowledged, refusedRegistrations, state);
                    System.out.println("audit disk full, queue not: " + fitted + " captures fitted, then "
                            + (refusedRegistrations.size() - before) + " refused with 503");
                    Files.delete(auditFiller);
                } else {
                    System.out.println("bind-mounting a separate tmpfs onto audit.jsonl failed: only the whole disk is filled");
                }
                Path filler = mount.resolve("filler");
                fill(filler);
                int before = refusedRegistrations.size();
                int fitted = captureUntilRefused(client, "R-F-", acknowledged, refusedRegistrations, state);
                System.out.println("state directory full: " + fitted + " captures fitted, then "
                        + (refusedRegistrations.size() - before) + " refused with 503");
                Files.delete(filler);
                for (String registration : refusedRegistrations) acknowledged.add(captureOk(client, registration));
                assertQueuedPacketsMatchTheAudit(state);
                StationFaultsTest.assertAuditIntact(agent);

                server.restart();
                await("the queue to drain", () -> agent.queue().counts().waiting() == 0);
                assertEquals(0, agent.outbound().parked(), "nothing parked");
                JsonNode receipts = server.admin("GET", "/api/v1/admin/machines/" + machineId + "/packets?limit=1000", null);
                Set<String> received = new TreeSet<>();
                receipts.path("packets").forEach(p -> received.add(p.path("packetId").asText()));
                assertEquals(acknowledged, received, "the server holds exactly the acknowledged captures");
                assertEquals(acknowledged.size(), receipts.path("total").asLong(), "one receipt each, no duplicate");
                assertEquals(acknowledged, completedPacketIds(state), "the audit records exactly the acknowledged captures");
            }
        } finally {
            run("umount", "-l", auditFile.toString());
            run("umount", "-l", auditDisk.toString());
            run("umount", "-l", mount.toString());
        }
    }

    /** Captures new registrations until three are refused; returns how many fitted. Checks the queue after each. */
    private static int captureUntilRefused(AgentClient client, String prefix, Set<String> acknowledged,
                                           List<String> refusedRegistrations, Path state) throws Exception {
        int fitted = 0;
        int refused = 0;
        for (int i = 1; i <= 60 && refused < 3; i++) {
            String registration = prefix + i;
            AgentClient.Answer a = client.post("/v1/captures", order(registration));
            if (a.status() == 200) {
                acknowledged.add(a.body().path("packetId").asText());
                fitted++;
            } else {
                assertEquals(503, a.status(), a.body().toString());
                assertEquals("storage_unavailable", a.body().path("error").path("code").asText());
                assertTrue(a.body().path("error").path("message").asText().contains("disk"), "the reason says what to fix: " + a.body());
                refusedRegistrations.add(registration);
                refused++;
            }
            assertQueuedPacketsMatchTheAudit(state);
        }
        assertEquals(3, refused, "captures are refused once nothing fits");
        return fitted;
    }

    /** Nothing is delivered while the server is down, so every audited capture waits in the queue, and nothing else. */
    private static void assertQueuedPacketsMatchTheAudit(Path state) throws Exception {
        long queued;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + state.resolve("queue.db") + "?mode=ro");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox WHERE kind = 'packet'")) {
            rs.next();
            queued = rs.getLong(1);
        }
        assertEquals(completedPacketIds(state).size(), queued, "queued packets = captures audited as completed");
    }

    private static Set<String> completedPacketIds(Path state) throws IOException {
        Set<String> ids = new TreeSet<>();
        for (String line : Files.readAllLines(state.resolve("audit.jsonl"))) {
            JsonNode record = JSON.readTree(line);
            if (record.path("event").asText().equals("capture.completed")) ids.add(record.path("fields").path("packetId").asText());
        }
        return ids;
    }

    private static String captureOk(AgentClient client, String registration) throws Exception {
        AgentClient.Answer a = client.post("/v1/captures", order(registration));
        assertEquals(200, a.status(), a.body().toString());
        return a.body().path("packetId").asText();
    }

    private static String order(String registration) {
        return "{\"modality\":\"Face\",\"deviceSubId\":0,\"consentReference\":\"c-1\",\"registrationId\":\"" + registration + "\"}";
    }

    private static void fill(Path filler) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            // ENOSPC: the disk is full
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
