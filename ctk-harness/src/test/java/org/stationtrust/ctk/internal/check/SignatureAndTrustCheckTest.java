package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.testing.TestDevice;

class SignatureAndTrustCheckTest {
    static TestDevice device;

    @BeforeAll
    static void createDevice() {
        device = TestDevice.create();
    }

    private static Observation withSignedPart(String compact) {
        Observation o = new Observation(TestDevice.testCase("INFO-SIGNED"), device.profile());
        o.signed.add(new Observation.SignedPart("deviceInfo", compact));
        return o;
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes());
    }

    @Test
    void acceptsAJwsSignedByTheDeviceKeyAndTrustsItsChain() {
        Observation o = device.goodLeftSlap();
        assertEquals(Finding.Status.PASS, new SignatureCheck().judge(o, device.rules()).status());
        assertEquals(Finding.Status.PASS, new TrustCheck().judge(o, device.rules()).status());
    }

    @Test
    void rejectsASignatureWithOneByteFlipped() {
        String jws = device.sign(TestDevice.digitalId("X"));
        char last = jws.charAt(jws.length() - 5);
        String broken = jws.substring(0, jws.length() - 5) + (last == 'A' ? 'B' : 'A') + jws.substring(jws.length() - 4);
        Finding f = new SignatureCheck().judge(withSignedPart(broken), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("bad signature"), f.message());
    }

    @Test
    void rejectsAlgNoneEvenWithAPayload() {
        String jws = b64("{\"alg\":\"none\"}") + "." + b64("{\"a\":1}") + ".";
        Finding f = new SignatureCheck().judge(withSignedPart(jws), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("unsigned"), f.message());
    }

    @Test
    void rejectsAnAlgorithmThePolicyDoesNotAllow() {
        String jws = b64("{\"alg\":\"HS256\",\"x5c\":[]}") + "." + b64("{\"a\":1}") + ".c2ln";
        Finding f = new SignatureCheck().judge(withSignedPart(jws), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("HS256"), f.message());
    }

    private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"X5C\"]}";

    @Test
    void acceptsAVerbatimJwsWrittenAsTheStationWantsIt() {
        Finding f = new SignatureCheck().judge(withSignedPart(device.signVerbatim(HEADER, "{\"a\":1}", false)), device.rules());
        assertEquals(Finding.Status.PASS, f.status(), f.message());
    }

    @Test
    void rejectsAJwsWhosePartsCarryBase64PaddingAsTheStationDoes() {
        // "{\"a\":1}" is 7 bytes: its base64url needs one '=' of padding.
        String jws = device.signVerbatim(HEADER, "{\"a\":1}", true);
        assertTrue(jws.contains("="), jws);
        Finding f = new SignatureCheck().judge(withSignedPart(jws), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("'=' padding") && f.message().contains("without padding"), f.message());
    }

    @Test
    void rejectsAJwsWithACritHeaderAsTheStationDoes() {
        String header = "{\"alg\":\"RS256\",\"crit\":[\"b64\"],\"b64\":true,\"x5c\":[\"X5C\"]}";
        Finding f = new SignatureCheck().judge(withSignedPart(device.signVerbatim(header, "{\"a\":1}", false)), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("'crit'") && f.message().contains("remove"), f.message());
    }

    @Test
    void rejectsAJwsWhosePayloadRepeatsAKeyAsTheStationDoes() {
        String jws = device.signVerbatim(HEADER, "{\"deviceId\":\"1\",\"deviceId\":\"2\"}", false);
        Finding f = new SignatureCheck().judge(withSignedPart(jws), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("payload repeats a JSON key"), f.message());
    }

    @Test
    void rejectsAJwsWhoseHeaderRepeatsAKeyAsTheStationDoes() {
        String header = "{\"alg\":\"RS256\",\"alg\":\"none\",\"x5c\":[\"X5C\"]}";
        Finding f = new SignatureCheck().judge(withSignedPart(device.signVerbatim(header, "{\"a\":1}", false)), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("header repeats a JSON key"), f.message());
    }

    @Test
    void rejectsAJwsWithoutX5c() {
        String signed = device.sign(TestDevice.digitalId("X"));
        String noX5c = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + signed.substring(signed.indexOf('.'));
        Finding sig = new SignatureCheck().judge(withSignedPart(noX5c), device.rules());
        Finding trust = new TrustCheck().judge(withSignedPart(noX5c), device.rules());
        assertTrue(sig.failed() && sig.message().contains("x5c"), sig.message());
        assertTrue(trust.failed() && trust.message().contains("x5c"), trust.message());
    }

    @Test
    void distrustsAnExpiredDeviceCertificateThoughTheSignatureVerifies() {
        Instant now = Instant.now();
        TestDevice expired = TestDevice.create(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        Observation o = withSignedPart(expired.sign(TestDevice.digitalId("X")));
        assertEquals(Finding.Status.PASS, new SignatureCheck().judge(o, expired.rules()).status());
        Finding f = new TrustCheck().judge(o, expired.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("CERTIFICATE_EXPIRED"), f.message());
    }

    @Test
    void distrustsACertificateFromAnotherCa() {
        TestDevice stranger = TestDevice.create();
        Finding f = new TrustCheck().judge(withSignedPart(stranger.sign(TestDevice.digitalId("X"))), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("CERTIFICATE_UNTRUSTED"), f.message());
    }

    @Test
    void saysNothingWhenThereIsNothingSigned() {
        Observation o = withSignedPart("x.y.z");
        o.signed.clear();
        assertEquals(Finding.Status.NOT_EVALUATED, new SignatureCheck().judge(o, device.rules()).status());
        assertEquals(List.of(), o.signed);
    }

    private static org.stationtrust.ctk.internal.device.DeviceProfile certified(String level) {
        var p = device.profile();
        return new org.stationtrust.ctk.internal.device.DeviceProfile(p.port(), p.deviceId(), p.deviceSubIds(), p.type(),
                p.subType(), p.purpose(), p.status(), p.specVersions(), p.digitalId(), p.deviceCode(), level, p.serviceVersion());
    }

    /** Info signed by the device key, its digitalId signed by {@code idSigner}. */
    private static Observation infoWithDigitalIdSignedBy(TestDevice idSigner, String level) {
        Observation o = new Observation(TestDevice.testCase("INFO-SIGNED"), certified(level));
        o.signed.add(new Observation.SignedPart("info[0].deviceInfo", device.sign(TestDevice.JSON.createObjectNode().put("deviceId", "1"))));
        o.signed.add(new Observation.SignedPart("info[0].digitalId", idSigner.sign(TestDevice.digitalId("SLAP-0001"))));
        return o;
    }

    private static JudgingRules rules(java.util.Optional<org.stationtrust.sbi.client.DeviceTrustStore> ftm,
                                      java.util.Optional<String> organisation) {
        JudgingRules r = device.rules();
        return new JudgingRules(r.trustStore(), r.allowedAlgorithms(), r.allowedSkew(), r.grace(), r.responseLimit(),
                r.harnessCertificate(), r.clock(), r.profile(), ftm, organisation);
    }

    /** False green (issue 16): the L0 / L1 trust split of the digitalId signature. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, digitalId by {1} -> {2}")
    @org.junit.jupiter.params.provider.CsvSource({
            "L0, device key, PASS, ",
            "L0, other key, FAIL, signed by another key than the device key",
            "L1, device key, FAIL, not by an FTM chip key",
            "L1, other key, PASS, "})
    void theCertificationLevelDecidesWhichKeySignsTheDigitalId(String level, String signer, Finding.Status expected,
                                                              String message) {
        TestDevice chip = device.rotated();
        Observation o = infoWithDigitalIdSignedBy("device key".equals(signer) ? device : chip, level);
        Finding f = new TrustCheck().judge(o, rules(java.util.Optional.of(chip.trustStore()), java.util.Optional.empty()));
        assertEquals(expected, f.status(), f.message());
        if (message != null) {
            assertTrue(f.message().contains(message), f.message());
        }
    }

    @Test
    void anL1DigitalIdMustChainToTheFtmCaWhenOneIsGiven() {
        TestDevice foreignChip = TestDevice.create();
        Observation o = infoWithDigitalIdSignedBy(foreignChip, "L1");
        Finding f = new TrustCheck().judge(o, rules(java.util.Optional.of(device.trustStore()), java.util.Optional.empty()));
        assertEquals(Finding.Status.PASS, new TrustCheck().judge(infoWithDigitalIdSignedBy(device.rotated(), "L1"),
                rules(java.util.Optional.of(device.trustStore()), java.util.Optional.empty())).status());
        assertTrue(f.failed() && f.message().contains("info[0].digitalId certificate not trusted"), f.message());
    }

    @Test
    void theDeviceCertificateMustNameTheProvidersOrganisationWhenOneIsGiven() {
        Finding f = new TrustCheck().judge(device.goodLeftSlap(), rules(java.util.Optional.empty(), java.util.Optional.of("Acme Biometrics")));
        assertTrue(f.failed());
        assertTrue(f.message().contains("names organisation '(none)', expected 'Acme Biometrics'"), f.message());
    }
}
