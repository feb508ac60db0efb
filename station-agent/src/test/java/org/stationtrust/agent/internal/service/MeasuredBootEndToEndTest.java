package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.tpm.eventlog.EventType;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * Measured boot end to end, all real: swtpm (no firmware, so each "boot" restarts it and extends the digests of a
 * synthetic event log into its PCRs, as firmware would), the agent in production mode reading the log from a file,
 * and server-enroll judging each attestation with its default boot policy.
 */
class MeasuredBootEndToEndTest {
    private static final HashAlgorithm SHA256 = HashAlgorithm.SHA256;
    private static final byte[] BOOTHOLE = SHA256.digest("grub 2.04 with BootHole".getBytes(StandardCharsets.US_ASCII));

    @TempDir static Path dir;
    private static StationFixture station;
    private static ServerFixture server;
    private static Path logFile;
    private static AgentConfig config;
    private static RunningAgent agent;
    private static String machineId;
    private static java.util.Optional<java.time.Instant> lastSeen;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir.resolve("station"));
        server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(),
                Duration.ofHours(1));
        logFile = dir.resolve("binary_bios_measurements");
        server.admin("PUT", "/api/v1/admin/boot-policies/fleet", "{\"name\": \"fleet\", \"requiredDbx\": [\"sha256:"
                + HexFormat.of().formatHex(BOOTHOLE) + "\"], \"forbiddenAuthorities\": [\"CN=Forbidden Vendor CA,"
                + "O=Elsewhere\"]}");
        server.admin("POST", "/api/v1/admin/boot-policies/fleet/make-default", "{\"reason\": \"e2e fleet\"}");
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.close();
        if (server != null) server.close();
        if (station != null) station.close();
    }

    /** A boot signed as the fleet expects: PK, KEK, db generated, dbx revoking BootHole. */
    private static SyntheticBoot fleetBoot() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        return boot.dbx(List.of(boot.dbx().get(0), BOOTHOLE));
    }

    /**
     * A reboot, as far as the TPM and the agent see one: the agent stops, the TPM shuts down in order and restarts
     * (PCRs reset), the "firmware" extends {@code measured}, the log file says {@code told} (null: no log), and the
     * agent starts again and attests. Returns the server's view of the boot afterwards.
     */
    private static JsonNode reboot(List<SyntheticEventLog.Extend> measured, byte[] told) throws Exception {
        if (agent != null) {
            lastSeen = agent.identity().state().lastAttestedAt();
            agent.close();
            agent = null;
        }
        tpm2("tpm2_shutdown", "-c"); // swtpm serves one client at a time: only now is the agent's connection gone
        station.tpm().restart();
        for (SyntheticEventLog.Extend e : measured) {
            tpm2("tpm2_pcrextend", e.pcr() + ":sha256=" + HexFormat.of().formatHex(e.digests().get(SHA256)));
        }
        if (told == null) {
            Files.deleteIfExists(logFile);
        } else {
            Files.write(logFile, told);
        }
        return startAndAttest();
    }

    private static JsonNode reboot(SyntheticEventLog log) throws Exception {
        return reboot(log.events(), log.bytes());
    }

    private static JsonNode startAndAttest() throws Exception {
        java.util.Optional<java.time.Instant> before = lastSeen;
        agent = RunningAgent.start(config, Clock.systemUTC());
        if (machineId == null) {
            EnrollmentEndToEndTest.await("enrollment", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            machineId = agent.identity().state().machineId();
            server.admin("POST", "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"e2e boot\"}");
        }
        EnrollmentEndToEndTest.await("an attestation after the boot", () -> agent.identity().state().lastAttestedAt().isPresent()
                && !agent.identity().state().lastAttestedAt().equals(before));
        return server.admin("GET", "/api/v1/admin/machines/" + machineId + "/boot", null);
    }

    /** TPM2_Shutdown and TPM2_PCR_Extend through tpm2-tools, a TPM client nobody here wrote. */
    private static void tpm2(String... command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("TPM2TOOLS_TCTI", station.tpm().tcti());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    private static SyntheticEventLog rebuilt(List<SyntheticEventLog.Extend> events) {
        SyntheticEventLog log = SyntheticEventLog.cryptoAgile(SHA256);
        events.forEach(e -> log.raw(e.pcr(), e.type(), e.digests(), e.data()));
        return log;
    }

    private static void assertRefused(JsonNode boot, String result, String rule) {
        JsonNode last = boot.path("last");
        assertEquals(result, last.path("result").asText(), last.toString());
        assertEquals(rule, last.path("rule").asText(), last.toString());
        assertTrue(agent.identity().state().lastAttestation().map(a -> a.outcome() == org.stationtrust.agent.internal.identity.StationState.AttestationOutcome.REFUSED).orElse(false),
                agent.identity().state().lastAttestation().toString());
    }

    @Test
    void bootsPassChangePassAndEveryBadBootFailsWithItsReason() throws Exception {
        SyntheticBoot fleet = fleetBoot();
        SyntheticEventLog v1 = fleet.log(SHA256);
        config = station.productionConfig("station-boot", server.url(), server.pin(), Map.of(
                "STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken(),
                "STATION_AGENT_TPM_EVENT_LOG", logFile.toString()));
        JsonNode first = reboot(v1);
        assertEquals("PASSED", first.path("last").path("result").asText(), first.toString());
        assertEquals(HexFormat.of().formatHex(SHA256.digest(v1.bytes())), first.path("acceptedEventLogSha256").asText());
        AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
        java.util.Optional<java.time.Instant> before = agent.identity().state().lastAttestedAt();
        assertEquals(202, client.post("/v1/attestations", "{}").status());
        EnrollmentEndToEndTest.await("an on-demand attestation", () -> !before.equals(agent.identity().state().lastAttestedAt()));
        assertTrue(agent.identity().state().attestationPassed(), "unchanged log: its digest alone");

        // a firmware and boot loader update signed by the same authorities passes, changed, with no admin action
        JsonNode changed = reboot(fleet.firmware("StationBIOS 1.01", "image 1.01".getBytes(StandardCharsets.US_ASCII))
                .bootApplication("\\EFI\\station\\bootx64.efi", "loader v2".getBytes(StandardCharsets.US_ASCII))
                .log(SHA256)).path("last");
        assertEquals("PASSED_CHANGED", changed.path("result").asText(), changed.toString());
        assertTrue(changed.path("changes").toString().contains("firmware version: + StationBIOS 1.01"), changed.toString());
        assertTrue(agent.identity().state().attestationPassed());

        assertRefused(reboot(fleetBoot().secureBoot(false).log(SHA256)), "pcr_policy_violation", "requireSecureBoot");

        byte[] forbidden = SyntheticBoot.certificate("CN=Forbidden Vendor CA,O=Elsewhere");
        assertRefused(reboot(fleetBoot().addDb(forbidden).authority(forbidden).log(SHA256)), "pcr_policy_violation",
                "forbiddenAuthorities");

        assertRefused(reboot(SyntheticBoot.typical().log(SHA256)), "pcr_policy_violation", "requiredDbx");

        List<SyntheticEventLog.Extend> measured = fleetBoot().log(SHA256).events();
        List<SyntheticEventLog.Extend> changedEvent = new ArrayList<>(measured);
        SyntheticEventLog.Extend crtm = changedEvent.get(0);
        changedEvent.set(0, new SyntheticEventLog.Extend(crtm.pcr(), crtm.type(), Map.of(SHA256,
                SHA256.digest("another version".getBytes(StandardCharsets.US_ASCII))), crtm.data()));
        assertRefused(reboot(measured, rebuilt(changedEvent).bytes()), "event_log_invalid", "replay");

        List<SyntheticEventLog.Extend> dropped = new ArrayList<>(measured);
        dropped.remove(dropped.size() - 1);
        assertRefused(reboot(measured, rebuilt(dropped).bytes()), "event_log_invalid", "replay");

        List<SyntheticEventLog.Extend> reordered = new ArrayList<>(measured);
        Collections.swap(reordered, 0, 1); // the two PCR 0 events
        assertRefused(reboot(measured, rebuilt(reordered).bytes()), "event_log_invalid", "replay");

        List<SyntheticEventLog.Extend> behindTheBack = new ArrayList<>(measured);
        behindTheBack.add(new SyntheticEventLog.Extend(4, EventType.EV_EFI_BOOT_SERVICES_APPLICATION,
                Map.of(SHA256, SHA256.digest("unlogged loader".getBytes(StandardCharsets.US_ASCII))), new byte[0]));
        JsonNode extended = reboot(behindTheBack, rebuilt(measured).bytes());
        assertRefused(extended, "event_log_invalid", "replay");
        assertTrue(extended.path("last").path("message").asText().contains("PCR 4"), extended.toString());

        // the unit found no log to copy: the agent sends none, and the fleet policy requires one
        assertRefused(reboot(measured, null), "no_event_log", "onNoEventLog");

        assertEquals("PASSED_CHANGED", reboot(fleetBoot().log(SHA256)).path("last").path("result").asText(),
                "a good boot recovers the machine");
    }
}
