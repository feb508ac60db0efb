package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux character-device path of {@link TpmConnection}, driven with ordinary files standing in
 * for /dev/tpmrm0: the device is opened at exactly the path given, probed, and every failure is typed.
 */
class KernelDeviceConnectionTest {
    /** TPM2_GetCapability(HANDLES, 0x80000000, 64) without sessions: header 10 + three UINT32. */
    private static final int PROBE_COMMAND_BYTES = 22;

    @Test
    void aDirectoryIsReportedAsNotATpmDevice(@TempDir Path dir) {
        TpmNotFound e = assertThrows(TpmNotFound.class, () -> TpmConnection.openKernelDevice("device:test", dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("not a TPM device"), e.getMessage());
    }

    @Test
    void aMissingDeviceIsReportedAsNotFoundWithWhatToCheck(@TempDir Path dir) {
        Path missing = dir.resolve("tpmrm0");
        TpmNotFound e = assertThrows(TpmNotFound.class, () -> TpmConnection.openKernelDevice("device:test", missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("dmesg"), e.getMessage());
    }

    @Test
    void aFileThatNeverAnswersLikeATpmIsUnreachableNamingItNotAnUncheckedError(@TempDir Path dir) throws Exception {
        Path silent = Files.createFile(dir.resolve("tpmrm0"));
        TpmUnreachable e = assertThrows(TpmUnreachable.class, () -> TpmConnection.openKernelDevice("device:test", silent));
        assertTrue(e.getMessage().contains(silent.toString()), e.getMessage());
    }

    @Test
    void aResponseHeaderClaimingMoreThanAnyTpmSendsIsRefused(@TempDir Path dir) throws Exception {
        ByteBuffer answer = ByteBuffer.allocate(PROBE_COMMAND_BYTES + 10);
        answer.position(PROBE_COMMAND_BYTES);
        answer.putShort((short) 0x8001).putInt(1 << 30).putInt(0);
        Path device = Files.write(dir.resolve("tpmrm0"), answer.array());
        TpmUnreachable e = assertThrows(TpmUnreachable.class, () -> TpmConnection.openKernelDevice("device:test", device));
        assertTrue(e.getMessage().contains("size " + (1 << 30)), e.getMessage());
    }

    @Test
    void aDeviceThatAnswersTheProbeIsOpenedAtExactlyThatPath(@TempDir Path dir) throws Exception {
        // The command overwrites the first 22 bytes; the read then finds a GetCapability response
        // with an empty handle list: tag, size 19, TPM_RC_SUCCESS, moreData NO, TPM_CAP_HANDLES, count 0.
        ByteBuffer answer = ByteBuffer.allocate(PROBE_COMMAND_BYTES + 19);
        answer.position(PROBE_COMMAND_BYTES);
        answer.putShort((short) 0x8001).putInt(19).putInt(0).put((byte) 0).putInt(1).putInt(0);
        Path device = Files.write(dir.resolve("tpmrm0"), answer.array());
        try (TpmConnection connection = TpmConnection.openKernelDevice("device:test", device)) {
            assertEquals("device:test", connection.uri());
            ByteBuffer sent = ByteBuffer.wrap(Files.readAllBytes(device));
            assertEquals(0x0000017A, sent.getInt(6), "the probe is TPM2_GetCapability");
            assertEquals(0x80000000, sent.getInt(14), "the probe lists transient handles");
        }
    }
}
