package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;
import org.stationtrust.tpm.verify.CredentialChallenge;
import org.stationtrust.tpm.verify.KeyType;
import org.stationtrust.tpm.verify.NonceMismatch;
import org.stationtrust.tpm.verify.PcrDigestMismatch;
import org.stationtrust.tpm.verify.QuoteVerifier;
import org.stationtrust.tpm.verify.TpmVerificationException;
import org.stationtrust.tpm.verify.VerifiedQuote;

import tss.Tss;
import tss.tpm.TPMT_HA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;

@ExtendWith(SoftwareTpmExtension.class)
class AttestationTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void provision(SoftwareTpm tpm) throws TpmException {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity.provision(connection, IdentityConfig.defaults());
        }
    }

    @Test
    void aQuoteOfTheDefaultPcrsVerifiesWithTheCallersNonce(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            byte[] nonce = random(32);
            Quote quote = identity.quote(nonce);
            assertEquals(PcrSelection.DEFAULT.pcrs(), quote.pcrs().sha256().orElseThrow().indices());
            VerifiedQuote verified = QuoteVerifier.verify(identity.attestationKey().publicArea(), quote.attest(),
                    quote.signature(), nonce, quote.pcrs());
            assertArrayEquals(nonce, verified.attestation().extraData());
            assertEquals(List.of(), connection.channel().handles(0x80000000));
        }
    }

    @Test
    void aQuoteOfMoreThanEightPcrsCarriesAllTheirValues(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            byte[] nonce = random(20);
            PcrSelection selection = PcrSelection.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 23);
            Quote quote = identity.quote(nonce, selection);
            assertEquals(selection.pcrs(), quote.pcrs().sha256().orElseThrow().indices());
            QuoteVerifier.verify(identity.attestationKey().publicArea(), quote.attest(), quote.signature(), nonce,
                    quote.pcrs());
        }
    }

    @Test
    void aQuoteFailsVerificationAfterAPcrExtendWithAWrongNonceAndWithAnyFlippedByte(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            var ak = identity.attestationKey().publicArea();
            byte[] nonce = random(32);
            Quote quote = identity.quote(nonce);

            assertThrows(NonceMismatch.class,
                    () -> QuoteVerifier.verify(ak, quote.attest(), quote.signature(), random(32), quote.pcrs()));

            connection.channel().run("TPM2_PCR_Extend", t -> t.PCR_Extend(new TPM_HANDLE(7),
                    new TPMT_HA[] {new TPMT_HA(TPM_ALG_ID.SHA256, random(32))}));
            var now = identity.quote(random(32)).pcrs();
            assertThrows(PcrDigestMismatch.class,
                    () -> QuoteVerifier.verify(ak, quote.attest(), quote.signature(), nonce, now));

            for (int i = 0; i < quote.attest().length; i++) {
                byte[] attest = quote.attest();
                attest[i] ^= 0x01;
                assertThrows(TpmVerificationException.class,
                        () -> QuoteVerifier.verify(ak, attest, quote.signature(), nonce, quote.pcrs()), "attest byte " + i);
            }
            for (int i = 0; i < quote.signature().length; i++) {
                byte[] signature = quote.signature();
                signature[i] ^= 0x01;
                assertThrows(TpmVerificationException.class,
                        () -> QuoteVerifier.verify(ak, quote.attest(), signature, nonce, quote.pcrs()), "signature byte " + i);
            }
        }
    }

    @Test
    void aCredentialMadeInSoftwareActivatesOnTheTpm(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            byte[] secret = random(32);
            CredentialChallenge challenge = CredentialChallenge.make(identity.endorsementKey().publicArea(),
                    identity.attestationKey().name(), secret);
            assertArrayEquals(secret, identity.activateCredential(challenge.credentialBlob(), challenge.encryptedSecret()));
            assertEquals(List.of(), connection.channel().handles(0x80000000), "the EK is flushed");
            assertEquals(List.of(), connection.channel().handles(0x02000000), "the policy session is flushed");
        }
    }

    @Test
    void aCredentialMadeByTssJavaActivatesOnTheTpm(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            byte[] secret = random(16);
            TPMT_PUBLIC ek = TPMT_PUBLIC.fromBytes(identity.endorsementKey().publicArea().encoded());
            Tss.ActivationCredential made = Tss.createActivationCredential(ek, identity.attestationKey().name(), secret);
            assertArrayEquals(secret, identity.activateCredential(made.CredentialBlob.toBytes(), made.Secret));
        }
    }

    @Test
    void aCredentialForTheEccP384EndorsementKeyActivatesWithItsPassword(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            EndorsementKey p384 = EndorsementKey.readAll(connection).get(1);
            assertEquals(EndorsementKey.Kind.ECC_P384, p384.kind());
            byte[] secret = random(32);
            CredentialChallenge challenge = CredentialChallenge.make(p384.publicArea(), identity.attestationKey().name(), secret);
            byte[] recovered = org.stationtrust.tpm.internal.CredentialActivation.activate(TpmConnectionAccess.channel(connection),
                    identity.attestationKey().handle(), org.stationtrust.tpm.internal.Templates.eccP384EndorsementKey(),
                    challenge.credentialBlob(), challenge.encryptedSecret());
            assertArrayEquals(secret, recovered);
            assertEquals(List.of(), connection.channel().handles(0x80000000));
        }
    }

    @Test
    void aCredentialForAnotherAttestationKeyNameDoesNotActivate(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            byte[] otherName = identity.attestationKey().name();
            otherName[5] ^= 0x40;
            CredentialChallenge challenge = CredentialChallenge.make(identity.endorsementKey().publicArea(),
                    otherName, random(32));
            TpmIntegrityCheckFailed e = assertThrows(TpmIntegrityCheckFailed.class,
                    () -> identity.activateCredential(challenge.credentialBlob(), challenge.encryptedSecret()));
            assertEquals("TPM_RC_INTEGRITY", e.codeName());
            assertEquals(List.of(), connection.channel().handles(0x80000000));
            assertEquals(List.of(), connection.channel().handles(0x02000000));
        }
    }

    @Test
    void aCredentialForAnotherTpmsEndorsementKeyDoesNotActivate(SoftwareTpm tpm, @TempDir Path otherDir) throws Exception {
        CredentialChallenge foreign;
        try (SoftwareTpm other = SoftwareTpm.start(otherDir); TpmConnection connection = TpmConnection.open(other.uri())) {
            EndorsementKey otherEk = EndorsementKey.read(connection);
            assertEquals(KeyType.RSA, otherEk.publicArea().type());
            try (TpmConnection ours = TpmConnection.open(tpm.uri())) {
                MachineIdentity identity = MachineIdentity.provision(ours, IdentityConfig.defaults());
                foreign = CredentialChallenge.make(otherEk.publicArea(), identity.attestationKey().name(), random(32));
                CredentialChallenge challenge = foreign;
                TpmIntegrityCheckFailed e = assertThrows(TpmIntegrityCheckFailed.class,
                        () -> identity.activateCredential(challenge.credentialBlob(), challenge.encryptedSecret()));
                assertTrue(e.getMessage().contains("another EK"), e.getMessage());
                assertTrue(MachineIdentityTest.verify("SHA256withECDSA", identity.machineKey().publicKey(), nonceless(),
                        identity.machineKey().signDer(nonceless())), "the TPM keeps working");
                assertEquals(List.of(), ours.channel().handles(0x80000000));
            }
        }
    }

    @Test
    void anRsaAttestationKeyQuotesAndActivatesToo(SoftwareTpm tpm) throws Exception {
        IdentityConfig rsa = IdentityConfig.defaults().withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, 0x81000200, 0x81000201)
                .withAttestationKeyAlgorithm(IdentityConfig.AttestationKeyAlgorithm.RSA_2048);
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, rsa);
            assertEquals(KeyType.RSA, identity.attestationKey().publicArea().type());
            byte[] nonce = random(32);
            Quote quote = identity.quote(nonce);
            QuoteVerifier.verify(identity.attestationKey().publicArea(), quote.attest(), quote.signature(), nonce, quote.pcrs());
            byte[] secret = random(24);
            CredentialChallenge challenge = CredentialChallenge.make(identity.endorsementKey().publicArea(),
                    identity.attestationKey().name(), secret);
            assertArrayEquals(secret, identity.activateCredential(challenge.credentialBlob(), challenge.encryptedSecret()));
        }
    }

    @Test
    void rejectsACredentialBlobThatIsNotAnIdObject(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            assertThrows(IllegalArgumentException.class, () -> identity.activateCredential(new byte[] {0, 50, 1, 2}, new byte[16]));
            assertThrows(IllegalArgumentException.class, () -> identity.activateCredential(new byte[5000], new byte[16]));
            assertThrows(IllegalArgumentException.class, () -> identity.activateCredential(new byte[] {0, 2, 1, 2, 3}, null));
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static byte[] nonceless() {
        return "after a foreign challenge".getBytes(StandardCharsets.UTF_8);
    }
}
