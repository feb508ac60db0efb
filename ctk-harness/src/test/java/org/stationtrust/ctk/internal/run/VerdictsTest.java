package org.stationtrust.ctk.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.testing.Iso;
import org.stationtrust.ctk.testing.TestDevice;

class VerdictsTest {

    /**
     * The exchanges in a report pass the redaction policy, but the findings quote device values verbatim: a device
     * that put its fingerprint record into deviceCode had it copied into the signed lab report by the digital-id
     * finding and the verdict's reason.
     */
    @Test
    void aFindingQuotingADeviceValueCarriesNoBiometricRecordIntoTheReport() {
        TestDevice device = TestDevice.create();
        Observation o = device.goodLeftSlap();
        String record = Base64.getUrlEncoder().withoutPadding().encodeToString(Iso.fingerRecord(100));
        ObjectNode payload = ((ObjectNode) o.elements.get(0).payload()).deepCopy();
        payload.put("deviceCode", record);
        device.replace(o, 0, payload, o.elements.get(0).hash());

        CaseResult r = Verdicts.judge(o, device.rules(), 1);

        assertEquals(CaseResult.Outcome.FAILED, r.outcome(), r.reason());
        CaseResult.CheckResult identity = r.checks().stream().filter(c -> c.check().equals("digital-id")).findFirst()
                .orElseThrow();
        assertTrue(identity.message().contains("biometrics[0].deviceCode is '[redacted]'"), identity.message());
        String leak = record.substring(0, 40);
        assertFalse(r.reason().contains(leak), r.reason());
        r.checks().forEach(c -> assertFalse(c.message().contains(leak), c.check() + ": " + c.message()));
    }
}
