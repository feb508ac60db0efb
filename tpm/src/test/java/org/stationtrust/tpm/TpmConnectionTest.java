package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stationtrust.testsupport.FreePorts;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;

import tss.tpm.TPM_HANDLE;

@ExtendWith(SoftwareTpmExtension.class)
class TpmConnectionTest {

    @Test
    void opensTheSimulatorFromItsUriAndRunsCommands(SoftwareTpm tpm) throws TpmException {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            byte[] random = connection.channel().call("TPM2_GetRandom", t -> t.GetRandom(16));
            assertEquals(16, random.length);
            assertEquals(tpm.uri(), connection.uri());
        }
    }

    @Test
    void clearsTransientObjectsAPreviousClientLeftLoaded(SoftwareTpm tpm) throws TpmException {
        try (TpmConnection first = TpmConnection.open(tpm.uri())) {
            first.channel().call("TPM2_StartAuthSession", t -> t.StartAuthSession(TPM_HANDLE.NULL, TPM_HANDLE.NULL,
                    new byte[16], new byte[0], tss.tpm.TPM_SE.POLICY, new tss.tpm.TPMT_SYM_DEF(),
                    tss.tpm.TPM_ALG_ID.SHA256));
            assertEquals(1, first.channel().handles(0x02000000).size());
        }
        try (TpmConnection second = TpmConnection.open(tpm.uri())) {
            assertEquals(0, second.channel().handles(0x02000000).size());
        }
    }

    @Test
    void aSimulatorThatIsDownIsReportedAsUnreachable() throws IOException {
        int port = FreePorts.loopback();
        TpmUnreachable e = assertThrows(TpmUnreachable.class, () -> TpmConnection.open("swtpm:127.0.0.1:" + port));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void aSimulatorStoppedMidSessionIsReportedAsUnreachable(@org.junit.jupiter.api.io.TempDir Path dir) throws TpmException {
        try (SoftwareTpm tpm = SoftwareTpm.start(dir); TpmConnection connection = TpmConnection.open(tpm.uri())) {
            tpm.close();
            assertThrows(TpmUnreachable.class, () -> connection.channel().call("TPM2_GetRandom", t -> t.GetRandom(8)));
        }
    }

    @Test
    void aMissingLinuxDeviceIsReportedAsNotFound() {
        assumeFalse(Files.exists(Path.of("/dev/tpmrm0")), "this machine has a TPM");
        TpmNotFound e = assertThrows(TpmNotFound.class, () -> TpmConnection.open("device:/dev/tpmrm0"));
        assertTrue(e.getMessage().contains("/dev/tpmrm0"), e.getMessage());
    }

    @Test
    void windowsTbsOnAnotherSystemIsReportedAsNotFound() {
        assumeFalse(System.getProperty("os.name").toLowerCase().contains("windows"));
        assertThrows(TpmNotFound.class, () -> TpmConnection.open("tbs:"));
    }

    @Test
    void rejectsSettingsItDoesNotUnderstand() {
        assertThrows(IllegalArgumentException.class, () -> TpmConnection.open("tcp:127.0.0.1:2321"));
        assertThrows(IllegalArgumentException.class, () -> TpmConnection.open("swtpm:127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TpmConnection.open("swtpm:127.0.0.1:99999"));
        assertThrows(IllegalArgumentException.class, () -> TpmConnection.open("device:/dev/tpm0"));
        assertThrows(IllegalArgumentException.class, () -> TpmConnection.open(null));
    }

    @Test
    void aTpmErrorBecomesATypedExceptionNamingTheCode(SoftwareTpm tpm) throws TpmException {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            TpmHandleInvalid e = assertThrows(TpmHandleInvalid.class,
                    () -> connection.channel().call("TPM2_ReadPublic", t -> t.ReadPublic(new TPM_HANDLE(0x81000123))));
            assertEquals("TPM_RC_HANDLE", e.codeName());
            assertTrue(e.getMessage().contains("TPM2_ReadPublic failed with TPM_RC_HANDLE"), e.getMessage());
        }
    }
}
