package org.stationtrust.tpm.internal;

import java.util.HashMap;
import java.util.Map;

import org.stationtrust.tpm.TpmAuthorizationFailed;
import org.stationtrust.tpm.TpmCommandFailed;
import org.stationtrust.tpm.TpmHandleInvalid;
import org.stationtrust.tpm.TpmIntegrityCheckFailed;
import org.stationtrust.tpm.TpmLockout;
import org.stationtrust.tpm.TpmNvUnavailable;
import org.stationtrust.tpm.TpmPolicyCheckFailed;
import org.stationtrust.tpm.TpmResourcesExhausted;

/** Decodes TPM 2.0 response codes (TPM 2.0 Part 2 §6.6) into typed, actionable exceptions. */
public final class ResponseCodes {
    private static final int FMT1 = 0x080;
    private static final int VER1 = 0x100;
    private static final int WARN = 0x800;
    private static final int VENDOR = 0x400;
    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        name(0x081, "ASYMMETRIC"); name(0x082, "ATTRIBUTES"); name(0x083, "HASH"); name(0x084, "VALUE");
        name(0x085, "HIERARCHY"); name(0x087, "KEY_SIZE"); name(0x088, "MGF"); name(0x089, "MODE");
        name(0x08A, "TYPE"); name(0x08B, "HANDLE"); name(0x08C, "KDF"); name(0x08D, "RANGE");
        name(0x08E, "AUTH_FAIL"); name(0x08F, "NONCE"); name(0x090, "PP"); name(0x092, "SCHEME");
        name(0x095, "SIZE"); name(0x096, "SYMMETRIC"); name(0x097, "TAG"); name(0x098, "SELECTOR");
        name(0x09A, "INSUFFICIENT"); name(0x09B, "SIGNATURE"); name(0x09C, "KEY"); name(0x09D, "POLICY_FAIL");
        name(0x09F, "INTEGRITY"); name(0x0A0, "TICKET"); name(0x0A1, "RESERVED_BITS"); name(0x0A2, "BAD_AUTH");
        name(0x0A3, "EXPIRED"); name(0x0A4, "POLICY_CC"); name(0x0A5, "BINDING"); name(0x0A6, "CURVE");
        name(0x0A7, "ECC_POINT");
        name(0x100, "INITIALIZE"); name(0x101, "FAILURE"); name(0x103, "SEQUENCE"); name(0x10B, "PRIVATE");
        name(0x119, "HMAC"); name(0x120, "DISABLED"); name(0x121, "EXCLUSIVE"); name(0x124, "AUTH_TYPE");
        name(0x125, "AUTH_MISSING"); name(0x126, "POLICY"); name(0x127, "PCR"); name(0x128, "PCR_CHANGED");
        name(0x12D, "UPGRADE"); name(0x12E, "TOO_MANY_CONTEXTS"); name(0x12F, "AUTH_UNAVAILABLE");
        name(0x130, "REBOOT"); name(0x131, "UNBALANCED"); name(0x142, "COMMAND_SIZE"); name(0x143, "COMMAND_CODE");
        name(0x144, "AUTHSIZE"); name(0x145, "AUTH_CONTEXT"); name(0x146, "NV_RANGE"); name(0x147, "NV_SIZE");
        name(0x148, "NV_LOCKED"); name(0x149, "NV_AUTHORIZATION"); name(0x14A, "NV_UNINITIALIZED");
        name(0x14B, "NV_SPACE"); name(0x14C, "NV_DEFINED"); name(0x150, "BAD_CONTEXT"); name(0x151, "CPHASH");
        name(0x152, "PARENT"); name(0x153, "NEEDS_TEST"); name(0x154, "NO_RESULT"); name(0x155, "SENSITIVE");
        name(0x901, "CONTEXT_GAP"); name(0x902, "OBJECT_MEMORY"); name(0x903, "SESSION_MEMORY");
        name(0x904, "MEMORY"); name(0x905, "SESSION_HANDLES"); name(0x906, "OBJECT_HANDLES");
        name(0x907, "LOCALITY"); name(0x908, "YIELDED"); name(0x909, "CANCELED"); name(0x90A, "TESTING");
        for (int i = 0; i <= 6; i++) {
            name(0x910 + i, "REFERENCE_H" + i);
            name(0x918 + i, "REFERENCE_S" + i);
        }
        name(0x920, "NV_RATE"); name(0x921, "LOCKOUT"); name(0x922, "RETRY"); name(0x923, "NV_UNAVAILABLE");
    }

    private ResponseCodes() {
    }

    private static void name(int code, String name) {
        NAMES.put(code, "TPM_RC_" + name);
    }

    /** The base code with handle/parameter/session numbers removed, e.g. 0x98E becomes 0x08E. */
    public static int baseCode(int rc) {
        if ((rc & FMT1) != 0) {
            return FMT1 | (rc & 0x3F);
        }
        if ((rc & VER1) == 0 || (rc & VENDOR) != 0) {
            return rc;
        }
        return (rc & WARN) != 0 ? (0x900 | (rc & 0x7F)) : (VER1 | (rc & 0x7F));
    }

    /** The spec name of a response code, e.g. {@code TPM_RC_AUTH_FAIL}. */
    public static String name(int rc) {
        if ((rc & FMT1) == 0 && (rc & VER1) == 0) {
            return String.format("TPM 1.2 code 0x%03X", rc);
        }
        if ((rc & FMT1) == 0 && (rc & VENDOR) != 0) {
            return String.format("vendor code 0x%03X", rc);
        }
        return NAMES.getOrDefault(baseCode(rc), String.format("TPM_RC_0x%03X", baseCode(rc)));
    }

    /** Where a format-1 error points: "handle 1", "parameter 2", "session 1", or "" when nowhere. */
    public static String subject(int rc) {
        if ((rc & FMT1) == 0) {
            return "";
        }
        int n = (rc >> 8) & 0xF;
        if ((rc & 0x40) != 0) {
            return "parameter " + n;
        }
        if (n == 0) {
            return "";
        }
        return n >= 8 ? "session " + (n - 8) : "handle " + n;
    }

    /** Builds the typed exception for a failed command. */
    public static TpmCommandFailed toException(String command, int rc) {
        int base = baseCode(rc);
        String name = name(rc);
        String where = subject(rc);
        String seen = String.format("%s failed with %s (0x%03X%s)", command, name, rc,
                where.isEmpty() ? "" : ", " + where);
        String message = seen + ": " + advice(base);
        return switch (base) {
            case 0x921 -> new TpmLockout(command, rc, name, message);
            case 0x08E, 0x0A2, 0x125, 0x12F, 0x124, 0x119 -> new TpmAuthorizationFailed(command, rc, name, message);
            case 0x08B, 0x910, 0x911, 0x912, 0x913, 0x914, 0x915, 0x916 -> new TpmHandleInvalid(command, rc, name, message);
            case 0x923, 0x920 -> new TpmNvUnavailable(command, rc, name, message);
            case 0x902, 0x903, 0x904, 0x905, 0x906, 0x12E -> new TpmResourcesExhausted(command, rc, name, message);
            case 0x09F -> new TpmIntegrityCheckFailed(command, rc, name, message);
            case 0x09D, 0x128, 0x126, 0x0A3, 0x0A4 -> new TpmPolicyCheckFailed(command, rc, name, message);
            default -> new TpmCommandFailed(command, rc, name, message);
        };
    }

    private static String advice(int base) {
        return switch (base) {
            case 0x921 -> "the TPM is in dictionary-attack lockout after failed authorizations; wait for the "
                    + "lockout interval to pass or have the owner reset it (tpm2_dictionarylockout --clear-lockout)";
            case 0x08E, 0x0A2 -> "the authorization value was wrong; check the configured hierarchy or key "
                    + "password (repeated failures lead to lockout)";
            case 0x125, 0x12F, 0x124, 0x119 -> "the command needs a different authorization (e.g. a policy "
                    + "session); this is a bug in the caller, report it";
            case 0x08B -> "the handle does not name a loaded or persistent object; the key may have been "
                    + "evicted or the TPM cleared: provision the identity again";
            case 0x923, 0x920 -> "the TPM cannot write its NV memory now (rate limit or unavailable); retry later";
            case 0x902, 0x903, 0x904, 0x905, 0x906, 0x12E -> "the TPM has no room for more loaded objects or "
                    + "sessions; another program may have left some loaded: flush them (tpm2_flushcontext -t -s) "
                    + "and retry";
            case 0x09F -> "the blob was not made for this TPM or this key (wrong EK, wrong AK name, or a "
                    + "blob copied from another machine); obtain a new one for this machine";
            case 0x09D, 0x128, 0x126 -> "the policy is not satisfied, e.g. the PCR values changed since the "
                    + "data was sealed; re-seal after checking the platform state";
            case 0x14A, 0x146 -> "the NV index is not defined or not written on this TPM";
            case 0x120 -> "the hierarchy or command is disabled; enable it in firmware or with the owner";
            case 0x101 -> "the TPM is in failure mode; reboot the machine and, if it persists, check the TPM";
            case 0x100 -> "the TPM was not started (TPM2_Startup); reboot or start it";
            case 0x922, 0x908, 0x90A, 0x909 -> "the TPM is busy; retry the command";
            default -> "see TPM 2.0 Part 2 §6.6 for the meaning of this code";
        };
    }
}
