package org.stationtrust.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.TpmAuthorizationFailed;
import org.stationtrust.tpm.TpmCommandFailed;
import org.stationtrust.tpm.TpmHandleInvalid;
import org.stationtrust.tpm.TpmIntegrityCheckFailed;
import org.stationtrust.tpm.TpmLockout;
import org.stationtrust.tpm.TpmNvUnavailable;
import org.stationtrust.tpm.TpmPolicyCheckFailed;
import org.stationtrust.tpm.TpmResourcesExhausted;

class ResponseCodesTest {

    @Test
    void formatOneCodesLoseTheirHandleParameterAndSessionNumbers() {
        assertEquals(0x08E, ResponseCodes.baseCode(0x98E));
        assertEquals("TPM_RC_AUTH_FAIL", ResponseCodes.name(0x98E));
        assertEquals("session 1", ResponseCodes.subject(0x98E));
        assertEquals("TPM_RC_HANDLE", ResponseCodes.name(0x18B));
        assertEquals("handle 1", ResponseCodes.subject(0x18B));
        assertEquals("TPM_RC_VALUE", ResponseCodes.name(0x2C4));
        assertEquals("parameter 2", ResponseCodes.subject(0x2C4));
    }

    @Test
    void warningsAndVersionOneErrorsKeepTheirNames() {
        assertEquals("TPM_RC_LOCKOUT", ResponseCodes.name(0x921));
        assertEquals("TPM_RC_NV_UNAVAILABLE", ResponseCodes.name(0x923));
        assertEquals("TPM_RC_OBJECT_MEMORY", ResponseCodes.name(0x902));
        assertEquals("TPM_RC_INITIALIZE", ResponseCodes.name(0x100));
        assertEquals("TPM_RC_AUTH_UNAVAILABLE", ResponseCodes.name(0x12F));
        assertEquals("", ResponseCodes.subject(0x921));
        assertTrue(ResponseCodes.name(0x05).contains("TPM 1.2"));
        assertTrue(ResponseCodes.name(0x501).contains("vendor"));
    }

    @Test
    void eachActionableCodeBecomesItsOwnExceptionNamingCommandAndCode() {
        assertInstanceOf(TpmLockout.class, ResponseCodes.toException("TPM2_Sign", 0x921));
        assertInstanceOf(TpmAuthorizationFailed.class, ResponseCodes.toException("TPM2_Sign", 0x98E));
        assertInstanceOf(TpmAuthorizationFailed.class, ResponseCodes.toException("TPM2_Sign", 0x9A2));
        assertInstanceOf(TpmHandleInvalid.class, ResponseCodes.toException("TPM2_Sign", 0x18B));
        assertInstanceOf(TpmHandleInvalid.class, ResponseCodes.toException("TPM2_Sign", 0x910));
        assertInstanceOf(TpmNvUnavailable.class, ResponseCodes.toException("TPM2_NV_Write", 0x923));
        assertInstanceOf(TpmResourcesExhausted.class, ResponseCodes.toException("TPM2_Load", 0x902));
        assertInstanceOf(TpmIntegrityCheckFailed.class, ResponseCodes.toException("TPM2_Load", 0x19F));
        assertInstanceOf(TpmPolicyCheckFailed.class, ResponseCodes.toException("TPM2_Unseal", 0x99D));
        TpmCommandFailed other = ResponseCodes.toException("TPM2_Quote", 0x2C4);
        assertEquals(TpmCommandFailed.class, other.getClass());
        assertEquals("TPM2_Quote", other.command());
        assertEquals(0x2C4, other.responseCode());
        TpmCommandFailed lockout = ResponseCodes.toException("TPM2_Sign", 0x921);
        assertTrue(lockout.getMessage().startsWith("TPM2_Sign failed with TPM_RC_LOCKOUT (0x921)"), lockout.getMessage());
        assertTrue(lockout.getMessage().contains("tpm2_dictionarylockout"), "says what to do: " + lockout.getMessage());
    }
}
