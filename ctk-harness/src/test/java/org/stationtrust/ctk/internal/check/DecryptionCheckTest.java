package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.testing.TestDevice;

/** The decryption check: thumbprint names the harness certificate, and every bioValue decrypted. */
class DecryptionCheckTest {
    static TestDevice device;
    static TestDevice harness;

    @BeforeAll
    static void createDevices() {
        device = TestDevice.create();
        harness = TestDevice.create();
    }

    private static JudgingRules rulesWithHarnessCertificate() {
        return new JudgingRules(device.trustStore(), Set.of("RS256"), Duration.ofMinutes(5), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Optional.of(harness.deviceCert), Clock.systemUTC());
    }

    private static byte[] harnessDigest() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(harness.deviceCert.getEncoded());
    }

    /** The good left slap, each element carrying {@code thumbprint}. */
    private static Observation withThumbprint(String thumbprint) {
        Observation o = device.goodLeftSlap();
        o.elements.forEach(e -> ((ObjectNode) e.element()).put("thumbprint", thumbprint));
        return o;
    }

    @Test
    void passesWhenEveryThumbprintNamesTheHarnessCertificateInHexBase64UrlOrBase64() throws Exception {
        byte[] digest = harnessDigest();
        for (String thumbprint : new String[] {HexFormat.of().withUpperCase().formatHex(digest),
                Base64.getUrlEncoder().withoutPadding().encodeToString(digest), Base64.getEncoder().encodeToString(digest)}) {
            Finding f = new DecryptionCheck().judge(withThumbprint(thumbprint), rulesWithHarnessCertificate());
            assertEquals(Finding.Status.PASS, f.status(), thumbprint + ": " + f.message());
        }
    }

    @Test
    void failsWhenTheThumbprintNamesAnotherCertificate() throws Exception {
        byte[] other = MessageDigest.getInstance("SHA-256").digest(device.deviceCert.getEncoded());
        Finding f = new DecryptionCheck().judge(withThumbprint(HexFormat.of().formatHex(other)),
                rulesWithHarnessCertificate());
        assertTrue(f.failed());
        assertTrue(f.message().contains("does not name the harness certificate"), f.message());
    }

    @Test
    void comparesBase64ThumbprintsCaseSensitively() throws Exception {
        String b64url = Base64.getUrlEncoder().withoutPadding().encodeToString(harnessDigest());
        String swapped = b64url.chars().mapToObj(c -> String.valueOf((char) (Character.isUpperCase(c)
                ? Character.toLowerCase(c) : Character.toUpperCase(c)))).collect(java.util.stream.Collectors.joining());
        Finding f = new DecryptionCheck().judge(withThumbprint(swapped), rulesWithHarnessCertificate());
        assertTrue(f.failed(), f.message());
        String hexLower = HexFormat.of().formatHex(harnessDigest());
        assertEquals(Finding.Status.PASS, new DecryptionCheck().judge(withThumbprint(hexLower), rulesWithHarnessCertificate()).status());
    }

    @Test
    void failsWhenTheThumbprintIsMissing() {
        Finding f = new DecryptionCheck().judge(device.goodLeftSlap(), rulesWithHarnessCertificate());
        assertTrue(f.failed());
        assertTrue(f.message().contains("thumbprint is missing"), f.message());
    }

    @Test
    void failsWhenABioValueDidNotDecryptAndSaysWhy() throws Exception {
        Observation o = withThumbprint(HexFormat.of().formatHex(harnessDigest()));
        Observation.CaptureElement e = o.elements.get(2);
        o.elements.set(2, new Observation.CaptureElement(e.request(), e.index(), e.element(), e.specVersion(), e.data(),
                e.payload(), e.hash(), e.errorCode(), e.errorInfo(), null, "GCM tag mismatch"));
        Finding f = new DecryptionCheck().judge(o, rulesWithHarnessCertificate());
        assertTrue(f.failed());
        assertTrue(f.message().contains("biometrics[2] bioValue does not decrypt") && f.message().contains("GCM tag mismatch"),
                f.message());
    }

    @Test
    void failsWithWhatToDoWhenNoHarnessKeyIsConfigured() {
        Finding f = new DecryptionCheck().judge(device.goodLeftSlap(), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("--harness-key-dir"), f.message());
    }

    @Test
    void isNotEvaluatedWithoutASuccessfulElement() {
        Observation o = new Observation(TestDevice.testCase("AUTH-FACE"), device.profile());
        assertEquals(Finding.Status.NOT_EVALUATED, new DecryptionCheck().judge(o, rulesWithHarnessCertificate()).status());
    }
}
