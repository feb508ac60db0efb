package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.identity.StationState.AttestationOutcome;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerHttp;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.tpm.PcrBanks;
import org.stationtrust.tpm.PcrSelection;
import org.stationtrust.tpm.Quote;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * An older laptop, end to end and all real: its firmware writes the SHA-1 format log (TCG_PCR_EVENT) and extends
 * the SHA-1 bank of a TPM with SHA-1 and SHA-256 allocated (swtpm_setup active_pcr_banks sha1,sha256; each "boot"
 * restarts swtpm and extends the log's digests with tpm2-tools). The agent quotes SHA-1 beside SHA-256 for that log
 * and server-enroll judges the boot by it under its default boot policy; a station that quotes the SHA-1 bank alone
 * is refused.
 */
class Sha1MeasuredBootEndToEndTest {
    private static final HashAlgorithm SHA1 = HashAlgorithm.SHA1;

    @TempDir static Path dir;
    private static StationFixture station;
    private static ServerFixture server;
    private static Path logFile;
    private static AgentConfig config;
    private static RunningAgent agent;
    private static String machineId;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir.resolve("station"), List.of(SHA1, HashAlgorithm.SHA256));
        server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(),
                Duration.ofHours(1));
        logFile = dir.resolve("binary_bios_measurements");
        server.admin("PUT", "/api/v1/admin/boot-policies/older-laptops", "{\"name\": \"older-laptops\"}");
        server.admin("POST", "/api/v1/admin/boot-policies/older-laptops/make-default", "{\"reason\": \"e2e sha1\"}");
        config = station.productionConfig("station-sha1", server.url(), server.pin(), Map.of(
                "STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken(),
                "STATION_AGENT_TPM_EVENT_LOG", logFile.toString()));
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.close();
        if (server != null) server.close();
        if (station != null) station.close();
    }

    /** A reboot: the TPM restarts, the "firmware" extends {@code measured} into the SHA-1 bank, the log says {@code told}. */
    private static JsonNode reboot(List<SyntheticEventLog.Extend> measured, byte[] told) throws Exception {
        Optional<java.time.Instant> before = Optional.empty();
        if (agent != null) {
            before = agent.identity().state().lastAttestedAt();
            agent.close();
            agent = null;
        }
        tpm2("tpm2_shutdown", "-c");
        station.tpm().restart();
        for (SyntheticEventLog.Extend e : measured) {
            tpm2("tpm2_pcrextend", e.pcr() + ":sha1=" + HexFormat.of().formatHex(e.digests().get(SHA1)));
        }
        Files.write(logFile, told);
        return startAndAttest(before);
    }

    private static JsonNode startAndAttest(Optional<java.time.Instant> before) throws Exception {
        agent = RunningAgent.start(config, Clock.systemUTC());
        if (machineId == null) {
            EnrollmentEndToEndTest.await("enrollment", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            machineId = agent.identity().state().machineId();
            server.admin("POST", "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"e2e sha1\"}");
        }
        Optional<java.time.Instant> seen = before;
        EnrollmentEndToEndTest.await("an attestation after the boot", () -> agent.identity().state().lastAttestedAt()
                .isPresent() && !agent.identity().state().lastAttestedAt().equals(seen));
        return server.admin("GET", "/api/v1/admin/machines/" + machineId + "/boot", null).path("last");
    }

    private static void tpm2(String... command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("TPM2TOOLS_TCTI", station.tpm().tcti());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    private static boolean refused() {
        return agent.identity().state().lastAttestation().map(a -> a.outcome() == AttestationOutcome.REFUSED)
                .orElse(false);
    }

    @Test
    void aSha1LogPassesInTheSha1BankAnUnloggedExtendOrAChangedEventFailsAndAQuoteOfTheSha1BankAloneIsRefused() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog log = boot.sha1FormatLog();

        JsonNode passed = reboot(log.events(), log.bytes());
        assertEquals("PASSED", passed.path("result").asText(), passed.toString());
        assertEquals("SHA1", passed.path("bootState").path("bank").asText(), passed.toString());
        assertTrue(agent.identity().state().attestationPassed());
        // the quote's SHA-1 values are kept and shown with their bank beside the SHA-256 ones
        log.pcrs(SHA1).forEach((pcr, v) -> assertEquals(HexFormat.of().formatHex(v),
                passed.path("pcrs").path("sha1").path(String.valueOf(pcr)).asText(), "sha1 PCR " + pcr));
        assertEquals(64, passed.path("pcrs").path("sha256").path("0").asText().length(), passed.toString());

        // the SHA-1 bank extended behind the log's back, the SHA-256 bank untouched: the unchanged log travels as its
        // digest, and the server must not take it for the boot it passed from memory of the SHA-256 values alone
        Optional<java.time.Instant> before = agent.identity().state().lastAttestedAt();
        agent.close();
        agent = null;
        tpm2("tpm2_pcrextend", "4:sha1=" + HexFormat.of().formatHex(SHA1.digest(
                "unlogged loader".getBytes(StandardCharsets.US_ASCII))));
        JsonNode behindTheBack = startAndAttest(before);
        assertEquals("event_log_invalid", behindTheBack.path("result").asText(), behindTheBack.toString());
        assertTrue(behindTheBack.path("message").asText().contains("SHA1 PCR 4"), behindTheBack.toString());
        String quoted4 = behindTheBack.path("pcrs").path("sha1").path("4").asText();
        assertEquals(40, quoted4.length(), behindTheBack.toString());
        assertFalse(quoted4.equals(HexFormat.of().formatHex(log.pcrs(SHA1).get(4))),
                "the admin sees the SHA-1 PCR 4 that was extended behind the log's back: " + quoted4);
        assertTrue(refused(), agent.identity().state().lastAttestation().toString());

        List<SyntheticEventLog.Extend> changed = new ArrayList<>(log.events());
        SyntheticEventLog.Extend crtm = changed.get(0);
        changed.set(0, new SyntheticEventLog.Extend(crtm.pcr(), crtm.type(), Map.of(SHA1,
                SHA1.digest("another version".getBytes(StandardCharsets.US_ASCII))), crtm.data()));
        SyntheticEventLog told = SyntheticEventLog.sha1Format();
        changed.forEach(e -> told.raw(e.pcr(), e.type(), e.digests(), e.data()));
        JsonNode invalid = reboot(log.events(), told.bytes());
        assertEquals("event_log_invalid", invalid.path("result").asText(), invalid.toString());
        assertEquals("replay", invalid.path("rule").asText(), invalid.toString());
        assertTrue(invalid.path("message").asText().contains("SHA1 PCR 0"), invalid.toString());
        assertTrue(refused(), agent.identity().state().lastAttestation().toString());

        assertEquals("PASSED", reboot(log.events(), log.bytes()).path("result").asText(), "a good boot recovers");
        assertDowngradeRefused(boot.log(SHA1, HashAlgorithm.SHA256).bytes());
    }

    /**
     * What a tampered station could try: quote the SHA-1 bank alone (whose values it can more easily match) and send a
     * log that also carries SHA-256 digests. The quote is genuine, over a nonce issued to the machine, so the
     * refusal is the machine's: recorded, flagged and audited.
     */
    private static void assertDowngradeRefused(byte[] logWithSha256) throws Exception {
        var http = ServerHttp.client(config.server().url().get(), config.server().publicKeyPins(), Duration.ofSeconds(10));
        ServerClient client = new ServerClient(http, config.server().url().get(), Duration.ofSeconds(10));
        String nonce = client.unsignedQuoteNonce(machineId);
        Quote sha1Only = agent.identity().call(m -> m.quote(Base64.getDecoder().decode(nonce), PcrSelection.DEFAULT,
                PcrBanks.of(SHA1)));
        ServerRefused e = assertThrows(ServerRefused.class, () -> client.submitUnsignedQuote(machineId,
                new ServerClient.QuoteEvidence(nonce, sha1Only.attest(), sha1Only.signature(), sha1Only.pcrs(),
                        logWithSha256, null)));
        assertTrue(e.is(ErrorCode.PCR_BANK_REFUSED), e.code() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("downgrade"), e.getMessage());
        String history = server.admin("GET", "/api/v1/admin/machines/" + machineId + "/attestations", null).toString();
        assertTrue(history.contains("pcr_bank_refused"), history);
        String audit = server.admin("GET", "/api/v1/admin/audit", null).toString();
        assertTrue(audit.contains("attestation.pcr_bank_refused"), audit.length() > 2000 ? audit.substring(0, 2000) : audit);
    }
}
