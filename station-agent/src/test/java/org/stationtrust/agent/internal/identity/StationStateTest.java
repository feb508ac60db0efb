package org.stationtrust.agent.internal.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StationStateTest {
    @TempDir Path dir;

    private void write(String json) throws IOException {
        Files.writeString(dir.resolve(StationState.FILE), json, StandardCharsets.UTF_8);
    }

    @Test
    void readsAStationJsonWrittenBeforeTheTypedResultsExisted() throws IOException {
        write("{\"serverUrl\":\"https://enroll.test\",\"machineId\":\"m-1\",\"phase\":\"ACTIVE\",\"ekNameHex\":\"00aa\","
                + "\"machineKeyNameHex\":\"00bb\",\"lastAttestation\":\"2026-11-25T09:00:00Z\","
                + "\"lastAttestationResult\":\"REFUSED pcr_policy_violation\",\"machineKeyHandle\":-2130706429,"
                + "\"pendingMachineKeyHandle\":-2130706428,\"pendingMachineKeyNameHex\":\"00cc\"}");
        Instant before = Instant.now();
        StationState s = StationState.load(dir);
        assertEquals(StationState.EnrollmentPhase.ACTIVE, s.phase());
        assertEquals(Optional.of(StationState.Attestation.refused(Instant.parse("2026-11-25T09:00:00Z"), "pcr_policy_violation")),
                s.lastAttestation());
        assertFalse(s.attestationPassed());
        StationState.PendingRotation pending = s.pendingRotation().orElseThrow();
        assertEquals(0x81000004, pending.handle());
        assertEquals("00cc", pending.keyNameHex());
        assertEquals(Optional.empty(), pending.nonce(), "an older agent noted no nonce");
        assertFalse(pending.markedAt().isBefore(before), "an undated mark is dated when read, never earlier");
    }

    @Test
    void keepsThePendingRotationsNonceAndWhenItWasMarked() throws IOException {
        Instant marked = Instant.parse("2026-12-07T22:00:00Z");
        StationState.RotationNonce nonce = new StationState.RotationNonce("bm9uY2U=", marked.plusSeconds(120));
        StationState s = StationState.fresh().withEnrollment("https://enroll.test", "m-1",
                StationState.EnrollmentPhase.ACTIVE, "00aa", "00bb").withPendingRotation(0x81000004, "00cc", marked)
                .withRotationNonce(nonce);
        s.save(dir);
        StationState.PendingRotation read = StationState.load(dir).pendingRotation().orElseThrow();
        assertEquals(marked, read.markedAt());
        assertEquals(Optional.of(nonce), read.nonce());
        assertThrows(IllegalStateException.class, () -> StationState.fresh().withRotationNonce(nonce),
                "a nonce belongs to a pending rotation");
    }

    @Test
    void writesTheSameFileItReads() throws IOException {
        StationState s = StationState.fresh().withEnrollment("https://enroll.test", "m-1", StationState.EnrollmentPhase.ACTIVE,
                "00aa", "00bb").withAttestation(StationState.Attestation.passed(Instant.parse("2026-11-25T10:00:00Z")))
                .withPendingRotation(0x81000004, "00cc", Instant.parse("2026-11-25T10:01:00Z"));
        s.save(dir);
        String json = Files.readString(dir.resolve(StationState.FILE));
        assertTrue(json.contains("\"lastAttestationResult\" : \"PASSED\"") && json.contains("\"pendingMachineKeyHandle\""), json);
        assertEquals(s, StationState.load(dir));
        assertEquals(Optional.empty(), StationState.load(dir).withMachineKey("00cc", 0x81000004).pendingRotation(),
                "adopting the new key ends the pending rotation");
    }

    @Test
    void refusesAnAttestationResultItDidNotWrite() throws IOException {
        write("{\"phase\":\"ACTIVE\",\"lastAttestation\":\"2026-11-25T09:00:00Z\",\"lastAttestationResult\":\"MAYBE\"}");
        IOException e = assertThrows(IOException.class, () -> StationState.load(dir));
        assertTrue(e.getMessage().contains("move it away"), e.getMessage());
    }

    @Test
    void eachTransitionChangesOnlyWhatItNames() {
        StationState s = StationState.fresh().withEnrollment("https://enroll.test", "m-1", StationState.EnrollmentPhase.PENDING_APPROVAL,
                "00aa", "00bb").withPendingRotation(0x81000004, "00cc", Instant.parse("2026-11-25T10:01:00Z"));
        StationState revoked = s.withPhase(StationState.EnrollmentPhase.REVOKED, "the server reports REVOKED");
        assertEquals("m-1", revoked.machineId());
        assertEquals(s.pendingRotation(), revoked.pendingRotation());
        assertEquals("the server reports REVOKED", revoked.detail());
        StationState restarted = s.withMachineKey("00cc", 0x81000004).restarted();
        assertEquals(StationState.EnrollmentPhase.NOT_ENROLLED, restarted.phase());
        assertEquals(0x81000004, restarted.machineKeyHandle());
        assertEquals(null, restarted.machineId());
    }
}
