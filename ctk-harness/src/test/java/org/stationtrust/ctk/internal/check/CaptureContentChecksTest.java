package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.testing.TestDevice;

/** Echo, bioSubType/count, quality range and threshold, and digitalId consistency of capture answers. */
class CaptureContentChecksTest {
    static TestDevice device;

    @BeforeAll
    static void createDevice() {
        device = TestDevice.create();
    }

    private static Observation withPayloadChange(int element, String field, String value) {
        Observation o = device.goodLeftSlap();
        ObjectNode p = (ObjectNode) o.elements.get(element).payload().deepCopy();
        p.put(field, value);
        device.replace(o, element, p, o.elements.get(element).hash());
        return o;
    }

    @Test
    void aWellFormedCapturePassesEveryContentCheck() {
        Observation o = device.goodLeftSlap();
        for (Check c : new Check[] {new EchoCheck(), new BioSubTypeCheck(), new QualityRangeCheck(),
                new QualityThresholdCheck(), new DigitalIdCheck(), new SchemaCheck()}) {
            Finding f = c.judge(o, device.rules());
            assertTrue(f.status() != Finding.Status.FAIL, c.name() + ": " + f.message());
        }
    }

    @Test
    void echoRejectsAnotherTransactionId() {
        Finding f = new EchoCheck().judge(withPayloadChange(0, "transactionId", "CTK-someone-else"), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("wrong transactionId"), f.message());
    }

    @Test
    void echoRejectsAnotherPurposeOrEnv() {
        assertTrue(new EchoCheck().judge(withPayloadChange(1, "purpose", "Auth"), device.rules()).failed());
        assertTrue(new EchoCheck().judge(withPayloadChange(1, "env", "Production"), device.rules()).failed());
    }

    @Test
    void bioSubTypeRejectsASubtypeThatWasNotRequested() {
        Finding f = new BioSubTypeCheck().judge(withPayloadChange(0, "bioSubType", "Right Thumb"), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("wrong bioSubType"), f.message());
    }

    @Test
    void bioSubTypeQuotesAHugeDeviceValueOnlyInPart() {
        Finding f = new BioSubTypeCheck().judge(withPayloadChange(0, "bioSubType", "Q".repeat(100_000)), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("wrong bioSubType") && f.message().length() < 1_000, f.message().length() + " chars");
    }

    /** The left slap's request and elements relabelled as a face, each element naming the given bioSubType. */
    private static Observation faceAnswering(String... subTypes) {
        Observation o = device.goodLeftSlap();
        ((ObjectNode) o.sent.get(0).body().path("bio").path(0)).put("type", "Face");
        for (int i = 0; i < subTypes.length; i++) {
            ObjectNode p = (ObjectNode) o.elements.get(i).payload().deepCopy();
            p.put("bioSubType", subTypes[i]);
            device.replace(o, i, p, o.elements.get(i).hash());
        }
        return o;
    }

    @Test
    void bioSubTypeJudgesAFaceByTheStationsOwnRule() {
        Finding none = new BioSubTypeCheck().judge(faceAnswering("Face", "face", "UNKNOWN", ""), device.rules());
        assertTrue(!none.failed(), "the station accepts these for a face, so must the harness: " + none.message());
        Finding named = new BioSubTypeCheck().judge(faceAnswering("Face", "Left", "UNKNOWN", ""), device.rules());
        assertTrue(named.failed());
        assertTrue(named.message().contains("face has none"), named.message());
    }

    @Test
    void bioSubTypeRejectsTheSameFingerTwice() {
        Finding f = new BioSubTypeCheck().judge(withPayloadChange(1, "bioSubType", "Left IndexFinger"), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("duplicate bioSubType"), f.message());
    }

    @Test
    void bioSubTypeRejectsFewerElementsThanTheCount() {
        Observation o = device.goodLeftSlap();
        o.elements.remove(3);
        Finding f = new BioSubTypeCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("wrong count"), f.message());
    }

    @Test
    void qualityRangeRejectsScoresOutside0To100AndNonNumbers() {
        assertTrue(new QualityRangeCheck().judge(withPayloadChange(0, "qualityScore", "120"), device.rules()).failed());
        assertTrue(new QualityRangeCheck().judge(withPayloadChange(0, "qualityScore", "good"), device.rules()).failed());
        assertEquals(Finding.Status.PASS, new QualityRangeCheck().judge(withPayloadChange(0, "qualityScore", "0"),
                device.rules()).status());
    }

    @Test
    void qualityRangeRejectsARequestedScoreThatIsNotEchoed() {
        assertTrue(new QualityRangeCheck().judge(withPayloadChange(2, "requestedScore", "10"), device.rules()).failed());
    }

    @Test
    void qualityThresholdRejectsAScoreBelowTheRequestedOne() {
        Finding f = new QualityThresholdCheck().judge(withPayloadChange(3, "qualityScore", "39.5"), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("low quality"), f.message());
        assertEquals(Finding.Status.PASS, new QualityThresholdCheck().judge(withPayloadChange(3, "qualityScore", "40"),
                device.rules()).status());
    }

    @Test
    void digitalIdRejectsAnotherDevicesIdentity() {
        Observation o = device.goodLeftSlap();
        ObjectNode p = (ObjectNode) o.elements.get(0).payload().deepCopy();
        p.put("digitalId", device.sign(TestDevice.digitalId("OTHER-9999")));
        device.replace(o, 0, p, o.elements.get(0).hash());
        Finding f = new DigitalIdCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("foreign digitalId"), f.message());
    }

    @Test
    void digitalIdRejectsAnUnsignedDigitalIdInACapture() {
        String unsigned = java.util.Base64.getUrlEncoder().encodeToString(TestDevice.digitalId("SLAP-0001").toString().getBytes());
        Finding f = new DigitalIdCheck().judge(withPayloadChange(0, "digitalId", unsigned), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("not signed"), f.message());
    }

    @Test
    void schemaRejectsAMissingFieldAndANumericErrorCode() {
        Observation o = device.goodLeftSlap();
        ObjectNode p = (ObjectNode) o.elements.get(0).payload().deepCopy();
        p.remove("bioValue");
        device.replace(o, 0, p, o.elements.get(0).hash());
        Finding f = new SchemaCheck().judge(withAnswer(o, "{\"biometrics\":[{\"specVersion\":\"0.9.5\",\"data\":\"a.b.c\","
                + "\"hash\":\"00\",\"error\":{\"errorCode\":0,\"errorInfo\":\"ok\"}}]}"), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("bioValue is missing"), f.message());
        assertTrue(f.message().contains("errorCode must be a JSON string"), f.message());
    }

    @Test
    void schemaRejectsAnAnswerThatIsNotJson() {
        Observation o = device.goodLeftSlap();
        o.answers.add(new Observation.Answer(Observation.Kind.CAPTURE, o.exchanges.get(0), null, "Unexpected end-of-input"));
        Finding f = new SchemaCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("not valid JSON"), f.message());
    }

    private static Observation withAnswer(Observation o, String json) {
        try {
            o.answers.add(new Observation.Answer(Observation.Kind.CAPTURE, o.exchanges.get(0),
                    TestDevice.JSON.readTree(json), null));
            return o;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
