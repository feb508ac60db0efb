package org.stationtrust.server.internal.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.server.testing.SoftwareStation.ATTR_FIXED_PARENT;
import static org.stationtrust.server.testing.SoftwareStation.ATTR_FIXED_TPM;
import static org.stationtrust.server.testing.SoftwareStation.ATTR_RESTRICTED;
import static org.stationtrust.server.testing.SoftwareStation.ATTR_SENSITIVE_DATA_ORIGIN;
import static org.stationtrust.server.testing.SoftwareStation.ATTR_SIGN;
import static org.stationtrust.server.testing.SoftwareStation.ATTR_USER_WITH_AUTH;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.tpm.verify.TpmPublic;

class KeyRulesTest {
    private static final int AK = ATTR_FIXED_TPM | ATTR_FIXED_PARENT | ATTR_SENSITIVE_DATA_ORIGIN | ATTR_USER_WITH_AUTH
            | ATTR_RESTRICTED | ATTR_SIGN;
    private static final int SHA1 = 0x0004, SHA256 = 0x000B, SHA384 = 0x000C, SHA512 = 0x000D;
    private static ECPublicKey key;

    @BeforeAll
    static void key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        key = (ECPublicKey) g.generateKeyPair().getPublic();
    }

    private static TpmPublic ak(int attributes, int ecdsaHash) throws Exception {
        return TpmPublic.parse(SoftwareStation.tpmtPublic(key, attributes, ecdsaHash));
    }

    private static ApiException refused(TpmPublic ak) {
        ApiException e = assertThrows(ApiException.class, () -> KeyRules.requireAttestationKey(ak));
        assertEquals(ErrorCode.KEY_ATTRIBUTES_INVALID, e.code());
        return e;
    }

    @Test
    void anAkWhoseSchemeSignsWithSha256Sha384OrSha512IsAccepted() throws Exception {
        KeyRules.requireAttestationKey(ak(AK, SHA256));
        KeyRules.requireAttestationKey(ak(AK, SHA384));
        KeyRules.requireAttestationKey(ak(AK, SHA512));
    }

    @Test
    void anAkWhoseSchemeSignsWithSha1IsRefusedNamingTheScheme() throws Exception {
        ApiException e = refused(ak(AK, SHA1));
        assertTrue(e.getMessage().contains("ECDSA/SHA1"), e.getMessage());
    }

    @Test
    void anAkWithoutASchemeOfItsOwnIsRefused() throws Exception {
        ApiException e = refused(ak(AK, 0));
        assertTrue(e.getMessage().contains("it was NONE"), e.getMessage());
    }

    @Test
    void aMachineKeyNamedWithAnotherHashThanSha256IsRefusedNamingIt() throws Exception {
        int machineKey = ATTR_FIXED_TPM | ATTR_FIXED_PARENT | ATTR_SENSITIVE_DATA_ORIGIN | ATTR_USER_WITH_AUTH | ATTR_SIGN;
        byte[] area = SoftwareStation.tpmtPublic(key, machineKey, SHA256);
        KeyRules.requireMachineKey(TpmPublic.parse(area));
        area[3] = (byte) SHA384; // TPMT_PUBLIC: type (2 bytes), then nameAlg
        TpmPublic sha384Named = TpmPublic.parse(area);
        ApiException e = assertThrows(ApiException.class, () -> KeyRules.requireMachineKey(sha384Named));
        assertEquals(ErrorCode.KEY_ATTRIBUTES_INVALID, e.code());
        assertTrue(e.getMessage().contains("name algorithm must be SHA-256"), e.getMessage());
    }

    @Test
    void anAkThatIsNotRestrictedOrNotFixedToTheTpmIsRefused() throws Exception {
        refused(ak(AK & ~ATTR_RESTRICTED, SHA256));
        refused(ak(AK & ~ATTR_FIXED_TPM, SHA256));
    }
}
