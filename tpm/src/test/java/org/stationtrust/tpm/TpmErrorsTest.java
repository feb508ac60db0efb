package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stationtrust.tpm.internal.PersistentObjects;
import org.stationtrust.tpm.internal.Templates;
import org.stationtrust.tpm.internal.TpmChannel;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;

import tss.tpm.CreateResponse;
import tss.tpm.TPMS_NULL_SIG_SCHEME;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMT_TK_HASHCHECK;
import tss.tpm.TPM_HANDLE;

/** Real TPM failures on swtpm come back as typed exceptions that name the response code. */
@ExtendWith(SoftwareTpmExtension.class)
class TpmErrorsTest {

    @Test
    void aWrongPasswordIsAnAuthorizationFailureAndRepeatedOnesLockTheTpmOut(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            TpmChannel channel = connection.channel();
            // one failure allowed before lockout, recovery far away, so the test sees TPM_RC_LOCKOUT quickly
            channel.run("TPM2_DictionaryAttackParameters",
                    t -> t.DictionaryAttackParameters(TPM_HANDLE.from(tss.tpm.TPM_RH.LOCKOUT), 2, 3600, 3600));
            PersistentObjects.ensureStorageRoot(channel, IdentityConfig.DEFAULT_STORAGE_ROOT);
            TPM_HANDLE parent = new TPM_HANDLE(IdentityConfig.DEFAULT_STORAGE_ROOT);
            CreateResponse created = channel.call("TPM2_Create", t -> t.Create(parent,
                    new TPMS_SENSITIVE_CREATE("right".getBytes(), new byte[0]), Templates.machineSigningKey(),
                    new byte[0], new TPMS_PCR_SELECTION[0]));
            TPM_HANDLE key = channel.call("TPM2_Load", t -> t.Load(parent, created.outPrivate, created.outPublic));
            try {
                key.AuthValue = "wrong".getBytes();
                TpmAuthorizationFailed denied = assertThrows(TpmAuthorizationFailed.class, () -> sign(channel, key));
                assertEquals("TPM_RC_AUTH_FAIL", denied.codeName());
                assertThrows(TpmAuthorizationFailed.class, () -> sign(channel, key));
                TpmLockout lockout = assertThrows(TpmLockout.class, () -> sign(channel, key));
                assertEquals("TPM_RC_LOCKOUT", lockout.codeName());
                assertTrue(lockout.getMessage().contains("TPM2_Sign failed with TPM_RC_LOCKOUT"), lockout.getMessage());
                assertTrue(lockout.getMessage().contains("lockout"), lockout.getMessage());
            } finally {
                channel.flushQuietly(key);
            }
        }
    }

    @Test
    void tooManyLoadedObjectsIsReportedAsExhaustedResources(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            TpmChannel channel = connection.channel();
            java.util.List<TPM_HANDLE> loaded = new java.util.ArrayList<>();
            try {
                TpmResourcesExhausted e = assertThrows(TpmResourcesExhausted.class, () -> {
                    for (int i = 0; i < 10; i++) {
                        loaded.add(org.stationtrust.tpm.internal.Objects.createPrimary(channel, TPM_HANDLE.OWNER,
                                Templates.storageRootKey()).handle());
                    }
                });
                assertTrue(e.getMessage().contains("TPM_RC_OBJECT_MEMORY"), e.getMessage());
                assertTrue(e.getMessage().contains("tpm2_flushcontext"), e.getMessage());
            } finally {
                loaded.forEach(channel::flushQuietly);
            }
            assertEquals(java.util.List.of(), channel.handles(0x80000000));
        }
    }

    private static void sign(TpmChannel channel, TPM_HANDLE key) throws TpmException {
        channel.call("TPM2_Sign", t -> t.Sign(key, new byte[32], new TPMS_NULL_SIG_SCHEME(), TPMT_TK_HASHCHECK.nullTicket()));
    }
}
