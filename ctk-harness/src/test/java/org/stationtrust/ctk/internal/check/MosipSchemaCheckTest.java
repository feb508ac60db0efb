package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.Profile;
import org.stationtrust.ctk.testing.TestDevice;

/** The mosip profile's schema rules, each next to the answer MOSIP's toolkit 1.4.x schemas accept. */
class MosipSchemaCheckTest {
    static TestDevice device;

    @BeforeAll
    static void createDevice() {
        device = TestDevice.create();
    }

    @Test
    void aSuccessfulElementWhoseErrorInfoIsNotSuccessFailsTheMosipProfile() {
        Observation o = device.goodLeftSlap();
        assertEquals(Finding.Status.PASS, judge(o).status(), judge(o).message());
        ((ObjectNode) o.elements.get(2).element().path("error")).put("errorInfo", "OK");
        Finding f = judge(o);
        assertTrue(f.failed(), f.message());
        assertTrue(f.message().contains("biometrics[2].error.errorInfo is 'OK' beside errorCode \"0\""), f.message());
    }

    @Test
    void anErrorElementFailsTheMosipProfileWithoutAThreeDigitCodeItsNullableFieldsOrWithSuccessAsItsInfo() {
        Finding bare = judge(errorAnswer("REG-LEFT-SLAP-INVALID-REQUEST", "{\"error\":{\"errorCode\":\"-1\",\"errorInfo\":\"Success\"}}"));
        assertTrue(bare.failed(), bare.message());
        for (String said : new String[] {"specVersion is missing", "data is missing", "hash is missing",
                "errorCode '-1' is not a three-digit SBI error code", "errorInfo says \"Success\""}) {
            assertTrue(bare.message().contains(said), "expected '" + said + "' in: " + bare.message());
        }
        Finding compliant = judge(errorAnswer("REG-LEFT-SLAP-INVALID-REQUEST",
                "{\"specVersion\":\"0.9.5\",\"data\":null,\"hash\":null,\"error\":{\"errorCode\":\"501\",\"errorInfo\":\"env is missing\"}}"));
        assertEquals(Finding.Status.PASS, compliant.status(), compliant.message());
    }

    @Test
    void aTransactionIdErrorMayUseAnyNonEmptyCodeAsMosipsSchemaForThatCaseAllows() {
        Finding f = judge(errorAnswer("REG-LEFT-SLAP-BAD-TRANSACTION-ID",
                "{\"specVersion\":\"0.9.5\",\"data\":\"\",\"hash\":\"\",\"error\":{\"errorCode\":\"1001\",\"errorInfo\":\"bad id\"}}"));
        assertEquals(Finding.Status.PASS, f.status(), f.message());
    }

    @Test
    void aDiscoveryErrorEntryFailsTheMosipProfileWithoutAThreeDigitCodeWithSuccessAsItsInfoOrWithAnExtraProperty() {
        Finding bare = judge(discoveryError("{\"error\":{\"errorCode\":\"1\",\"errorInfo\":\"Success\"},\"extra\":1}"));
        assertTrue(bare.failed(), bare.message());
        for (String said : new String[] {"discovery[0].error.errorCode '1' is not a three-digit SBI error code",
                "discovery[0].error.errorInfo says \"Success\"", "discovery[0] has the extra property 'extra'"}) {
            assertTrue(bare.message().contains(said), "expected '" + said + "' in: " + bare.message());
        }
        // only the error object is required: the entry's other fields may be left out
        Finding compliant = judge(discoveryError("{\"error\":{\"errorCode\":\"102\",\"errorInfo\":\"Invalid type\"}}"));
        assertEquals(Finding.Status.PASS, compliant.status(), compliant.message());
    }

    @Test
    void aFaceElementNamingABioSubTypeFailsTheMosipProfileWhichAllowsNoneOrTheTextNull() {
        for (String named : new String[] {"UNKNOWN", "Face", ""}) {
            Finding f = judge(face(named));
            assertTrue(f.failed(), named + ": " + f.message());
            assertTrue(f.message().contains("on a face element; MOSIP's schema allows none"), f.message());
        }
        assertEquals(Finding.Status.PASS, judge(face(null)).status(), judge(face(null)).message());
        assertEquals(Finding.Status.PASS, judge(face("null")).status(), judge(face("null")).message());
    }

    @Test
    void aDeviceSubIdThatIsNotOneOfTheStringsZeroToThreeFailsTheMosipProfile() {
        Finding numbers = judge(info("[1, \"4\"]"));
        assertTrue(numbers.message().contains("deviceInfo.deviceSubId holds 1;")
                && numbers.message().contains("deviceInfo.deviceSubId holds \"4\";"), numbers.message());
        Finding strings = judge(info("[\"1\", \"2\", \"3\"]"));
        assertTrue(!strings.message().contains("deviceSubId"), strings.message());
    }

    /** INFO-SIGNED having read one signed, Ready deviceInfo whose deviceSubId is {@code subIds}. */
    private static Observation info(String subIds) {
        try {
            Observation o = new Observation(TestDevice.testCase("INFO-SIGNED"), device.profile());
            Observation.InfoEntry entry = device.info("SLAP-0001");
            ObjectNode payload = ((ObjectNode) entry.payload()).deepCopy();
            payload.set("deviceSubId", TestDevice.JSON.readTree(subIds));
            payload.put("purpose", "Registration");
            o.infos.add(new Observation.InfoEntry(entry.element(), entry.deviceInfo(), payload, "0"));
            return o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The left slap relabelled as one face element naming {@code subType} (removed when null). */
    private static Observation face(String subType) {
        Observation o = device.goodLeftSlap();
        ((ObjectNode) o.sent.get(0).body().path("bio").path(0)).put("type", "Face");
        ObjectNode p = (ObjectNode) o.elements.get(0).payload().deepCopy();
        p.put("bioType", "Face");
        if (subType == null) {
            p.remove("bioSubType");
        } else {
            p.put("bioSubType", subType);
        }
        device.replace(o, 0, p, o.elements.get(0).hash());
        return o;
    }

    private static Finding judge(Observation o) {
        return new MosipSchemaCheck().judge(o, device.rules(Profile.MOSIP));
    }

    /** The unknown-type discovery case (SBI1196) having read one entry, {@code entryJson}. */
    private static Observation discoveryError(String entryJson) {
        try {
            Observation o = new Observation(TestDevice.testCase("DISC-UNKNOWN-TYPE"), device.profile());
            o.discovered.add(TestDevice.JSON.readTree(entryJson));
            return o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A case whose single capture answered one error element, parsed as the runner does. */
    private static Observation errorAnswer(String caseId, String elementJson) {
        try {
            Observation o = new Observation(TestDevice.testCase(caseId), device.profile());
            ObjectNode el = (ObjectNode) TestDevice.JSON.readTree(elementJson);
            String code = el.path("error").path("errorCode").asText();
            o.elements.add(new Observation.CaptureElement(0, 0, el, el.path("specVersion").asText(null), null, null,
                    null, code, el.path("error").path("errorInfo").asText(null), null, null));
            o.errorCodes.add(code);
            return o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
