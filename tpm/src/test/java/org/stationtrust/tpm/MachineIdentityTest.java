package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;
import org.stationtrust.tpm.verify.CertifyVerifier;
import org.stationtrust.tpm.verify.KeyType;
import org.stationtrust.tpm.verify.VerifiedCertification;

@ExtendWith(SoftwareTpmExtension.class)
class MachineIdentityTest {
    private static final byte[] DATA = "capture packet".getBytes(StandardCharsets.UTF_8);

    /** Each test provisions at its own handles so tests do not depend on each other's keys. */
    private static IdentityConfig at(int base) {
        return IdentityConfig.defaults().withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, base, base + 1);
    }

    @Test
    void provisionsAnEccAttestationKeyAndANonDuplicableMachineKey(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, at(0x81000100));
            var ak = identity.attestationKey().publicArea();
            assertTrue(ak.isRestricted() && ak.isSign() && ak.isFixedTpm() && ak.isFixedParent());
            assertEquals(KeyType.ECC, ak.type());
            var mk = identity.machineKey().publicArea();
            assertTrue(mk.isSign() && mk.isFixedTpm() && mk.isFixedParent() && mk.isSensitiveDataOrigin());
            assertFalse(mk.isRestricted());
            assertTrue(identity.machineKey().publicKey() instanceof ECPublicKey);
            assertEquals(List.of(), connection.channel().handles(0x80000000), "no transient object stays loaded");
        }
    }

    @Test
    void provisioningAgainFindsTheSameKeys(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity first = MachineIdentity.provision(connection, at(0x81000110));
            MachineIdentity second = MachineIdentity.provision(connection, at(0x81000110));
            assertEquals(first.attestationKey().publicArea(), second.attestationKey().publicArea());
            assertEquals(first.machineKey().publicKey(), second.machineKey().publicKey());
            assertArrayEquals(first.endorsementKey().name(), second.endorsementKey().name());
        }
    }

    @Test
    void machineKeySignaturesVerifyWithPlainJcaInDerAndJoseForm(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineKey key = MachineIdentity.provision(connection, at(0x81000120)).machineKey();
            byte[] der = key.signDer(DATA);
            assertTrue(verify("SHA256withECDSA", key.publicKey(), DATA, der));
            assertFalse(verify("SHA256withECDSA", key.publicKey(), "other".getBytes(StandardCharsets.UTF_8), der));
            byte[] jose = key.signJose(DATA);
            assertEquals(64, jose.length);
            assertTrue(verify("SHA256withECDSAinP1363Format", key.publicKey(), DATA, jose));
            jose[10] ^= 1;
            assertFalse(verify("SHA256withECDSAinP1363Format", key.publicKey(), DATA, jose));
        }
    }

    @Test
    void aSignatureInTheSteadyStateIsExactlyOneTpmCommand(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineKey key = MachineIdentity.provision(connection, at(0x81000130)).machineKey();
            key.signDer(DATA);
            long before = connection.channel().device().commandCount();
            for (int i = 0; i < 5; i++) {
                key.signJose(DATA);
            }
            assertEquals(5, connection.channel().device().commandCount() - before);
            assertEquals(List.of(), connection.channel().handles(0x80000000));
            assertEquals(List.of(), connection.channel().handles(0x02000000));
        }
    }

    @Test
    void keysSurviveASimulatorRestart(SoftwareTpm tpm) throws Exception {
        PublicKey before;
        byte[] akName;
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, at(0x81000140));
            before = identity.machineKey().publicKey();
            akName = identity.attestationKey().name();
        }
        tpm.restart();
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            long commandsBefore = connection.channel().device().commandCount();
            MachineIdentity identity = MachineIdentity.provision(connection, at(0x81000140));
            assertEquals(before, identity.machineKey().publicKey());
            assertArrayEquals(akName, identity.attestationKey().name());
            assertTrue(verify("SHA256withECDSA", before, DATA, identity.machineKey().signDer(DATA)));
            assertTrue(connection.channel().device().commandCount() - commandsBefore < 30, "reloading creates nothing");
        }
    }

    @Test
    void theAttestationKeyCertifiesTheMachineKey(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, at(0x81000150));
            byte[] qualifying = "server-challenge-0123456789abcd".getBytes(StandardCharsets.UTF_8);
            KeyCertification certification = identity.certifyMachineKey(qualifying);
            VerifiedCertification verified = CertifyVerifier.verify(identity.attestationKey().publicArea(),
                    certification.attest(), certification.signature(), identity.machineKey().publicArea(), qualifying);
            assertArrayEquals(identity.machineKey().name(), verified.attestation().certify().orElseThrow().name());
            assertEquals(List.of(), connection.channel().handles(0x80000000));
        }
    }

    @Test
    void rotatingTheMachineKeyReplacesItAtTheSameHandle(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, at(0x81000160));
            PublicKey old = identity.machineKey().publicKey();
            MachineKey fresh = identity.rotateMachineKey();
            assertNotEquals(old, fresh.publicKey());
            assertEquals(fresh, identity.machineKey());
            assertFalse(verify("SHA256withECDSA", old, DATA, fresh.signDer(DATA)));
            assertEquals(fresh.publicKey(), MachineIdentity.provision(connection, at(0x81000160)).machineKey().publicKey());
        }
    }

    @Test
    void deprovisioningRemovesTheKeysAndProvisioningMakesNewOnes(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, at(0x81000170));
            identity.deprovision();
            var persistent = connection.channel().handles(0x81000000).stream().map(h -> h.handle).toList();
            assertFalse(persistent.contains(0x81000170));
            assertFalse(persistent.contains(0x81000171));
            TpmHandleInvalid gone = assertThrows(TpmHandleInvalid.class, () -> identity.machineKey().signDer(DATA));
            assertTrue(gone.getMessage().contains("TPM_RC_HANDLE"), gone.getMessage());
            assertNotEquals(identity.machineKey().publicKey(),
                    MachineIdentity.provision(connection, at(0x81000170)).machineKey().publicKey());
        }
    }

    @Test
    void refusesAHandleThatHoldsSomeoneElsesKey(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity.provision(connection, at(0x81000180));
            // the machine key handle now points at the existing attestation key: a restricted key
            IdentityConfig clash = IdentityConfig.defaults().withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT,
                    0x81000190, 0x81000180);
            PersistentHandleConflict e = assertThrows(PersistentHandleConflict.class,
                    () -> MachineIdentity.provision(connection, clash));
            assertTrue(e.getMessage().contains("0x81000180"), e.getMessage());
        }
    }

    @Test
    void rejectsQualifyingDataTheTpmCannotCarry(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, at(0x810001A0));
            assertThrows(IllegalArgumentException.class, () -> identity.certifyMachineKey(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> identity.quote(new byte[33]));
        }
    }

    static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update(data);
        try {
            return verifier.verify(signature);
        } catch (java.security.SignatureException malformed) {
            return false;
        }
    }
}
