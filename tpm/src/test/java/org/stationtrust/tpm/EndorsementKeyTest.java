package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;
import org.stationtrust.tpm.verify.EkCertificateUntrusted;
import org.stationtrust.tpm.verify.EkCertificateValidator;
import org.stationtrust.tpm.verify.KeyType;
import org.stationtrust.tpm.verify.TrustAnchors;

import tss.tpm.TPM_HANDLE;

@ExtendWith(SoftwareTpmExtension.class)
class EndorsementKeyTest {

    @Test
    void readsEveryEkCertificateSwtpmWroteAndEachHoldsTheRecreatedKey(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            List<EndorsementKey> all = EndorsementKey.readAll(connection);
            assertEquals(List.of(EndorsementKey.Kind.RSA_2048, EndorsementKey.Kind.ECC_P384),
                    all.stream().map(EndorsementKey::kind).toList());
            for (EndorsementKey ek : all) {
                assertEquals(ek.certificate().getPublicKey(), ek.publicArea().toPublicKey(), ek.kind().toString());
                assertTrue(ek.certificate().getIssuerX500Principal().getName().contains("swtpm-localca"));
            }
            assertEquals(KeyType.RSA, EndorsementKey.read(connection).publicArea().type(), "RSA is preferred");
        }
    }

    @Test
    void theRecreatedEksHaveTheNamesOfSwtpmsPersistentEks(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            List<EndorsementKey> all = EndorsementKey.readAll(connection);
            byte[] rsaName = connection.channel().call("TPM2_ReadPublic", t -> t.ReadPublic(new TPM_HANDLE(0x81010001))).name;
            byte[] eccName = connection.channel().call("TPM2_ReadPublic", t -> t.ReadPublic(new TPM_HANDLE(0x81010016))).name;
            assertArrayEquals(rsaName, all.get(0).name());
            assertArrayEquals(eccName, all.get(1).name());
        }
    }

    @Test
    void recreatingTheEkLeavesNoObjectLoaded(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            EndorsementKey.readAll(connection);
            assertEquals(List.of(), connection.channel().handles(0x80000000));
        }
    }

    @Test
    void aTpmWithoutEkCertificatesIsReportedAsSuch(@TempDir Path dir) throws Exception {
        try (SoftwareTpm bare = SoftwareTpm.start(dir); TpmConnection connection = TpmConnection.open(bare.uri())) {
            for (int index : new int[] {0x01C00002, 0x01C00016}) {
                TPM_HANDLE nv = new TPM_HANDLE(index);
                connection.channel().run("TPM2_NV_UndefineSpace",
                        t -> t.NV_UndefineSpace(TPM_HANDLE.from(tss.tpm.TPM_RH.PLATFORM), nv));
            }
            EndorsementCertificateMissing e = assertThrows(EndorsementCertificateMissing.class,
                    () -> EndorsementKey.read(connection));
            assertTrue(e.getMessage().contains("0x01C00002"), e.getMessage());
            assertThrows(EndorsementCertificateMissing.class, () -> MachineIdentity.provision(connection, IdentityConfig.defaults()));
        }
    }

    @Test
    void aCertificateForAnotherKeyInTheRsaIndexIsAMismatch(@TempDir Path dir) throws Exception {
        try (SoftwareTpm tampered = SoftwareTpm.start(dir); TpmConnection connection = TpmConnection.open(tampered.uri())) {
            byte[] eccCertificate = EndorsementKey.readAll(connection).get(1).certificate().getEncoded();
            TPM_HANDLE platform = TPM_HANDLE.from(tss.tpm.TPM_RH.PLATFORM);
            TPM_HANDLE rsaIndex = new TPM_HANDLE(0x01C00002);
            connection.channel().run("TPM2_NV_UndefineSpace", t -> t.NV_UndefineSpace(platform, rsaIndex));
            // PPWRITE | PPREAD | OWNERREAD | AUTHREAD | NO_DA | PLATFORMCREATE, as swtpm defines EK certificate indices
            tss.tpm.TPMA_NV attributes = tss.tpm.TPMA_NV.fromInt(0x1 | 0x10000 | 0x20000 | 0x40000 | 0x2000000 | 0x40000000);
            connection.channel().run("TPM2_NV_DefineSpace", t -> t.NV_DefineSpace(platform, new byte[0],
                    new tss.tpm.TPMS_NV_PUBLIC(rsaIndex, tss.tpm.TPM_ALG_ID.SHA256, attributes, new byte[0], eccCertificate.length)));
            for (int offset = 0; offset < eccCertificate.length; offset += 512) {
                byte[] chunk = java.util.Arrays.copyOfRange(eccCertificate, offset, Math.min(eccCertificate.length, offset + 512));
                int at = offset;
                connection.channel().run("TPM2_NV_Write", t -> t.NV_Write(platform, rsaIndex, chunk, at));
            }
            EndorsementKeyMismatch e = assertThrows(EndorsementKeyMismatch.class, () -> EndorsementKey.read(connection));
            assertTrue(e.getMessage().contains("RSA_2048"), e.getMessage());
        }
    }

    @Test
    void theEkCertificateChainsToTheSimulatorsCaAndNotToAnotherCa(SoftwareTpm tpm, @TempDir Path otherDir) throws Exception {
        EndorsementKey ek;
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            ek = EndorsementKey.read(connection);
        }
        TrustAnchors own = TrustAnchors.fromPemDirectory(tpm.caDirectory());
        assertEquals(ek.certificate(), new EkCertificateValidator(own).validate(ek.certificate(), List.of()).certificate());
        try (SoftwareTpm other = SoftwareTpm.start(otherDir)) {
            TrustAnchors foreign = TrustAnchors.fromPemDirectory(other.caDirectory());
            assertThrows(EkCertificateUntrusted.class,
                    () -> new EkCertificateValidator(foreign).validate(ek.certificate(), List.of()));
        }
    }
}
