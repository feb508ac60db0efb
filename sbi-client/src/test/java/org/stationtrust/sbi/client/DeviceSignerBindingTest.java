package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.FixtureDevice;
import org.stationtrust.sbi.client.testing.RawHttpServer;
import org.stationtrust.sbi.client.testing.RegistrationSession;
import org.stationtrust.sbi.client.testing.TestClients;
import org.stationtrust.sbi.client.testing.TestPki;

/**
 * The signatures are tied to the device discovered (sbi-protocol.md §Signatures): another device whose key
 * chains to the same trusted CA cannot answer with a copy of this device's public signed digitalId.
 */
class DeviceSignerBindingTest {
    private static final TestPki PKI = new TestPki("Binding Provider CA");
    private FixtureDevice fixture;
    private RawHttpServer server;
    private SbiClient client;

    @BeforeEach
    void start() throws Exception {
        fixture = new FixtureDevice(PKI);
        server = fixture.serve();
        client = TestClients.client(PKI, fixture.port);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    /** Another device of the same trusted provider: its own key and certificate. */
    private static KeyPair otherDeviceKeys() {
        return TestPki.rsa();
    }

    private static X509Certificate certificateFor(KeyPair keys) {
        Instant now = Instant.now();
        return PKI.deviceCertificate(keys.getPublic(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
    }

    private Device discovered() {
        return client.discover().first(Modality.FINGER).orElseThrow();
    }

    private CaptureResult capture(Device device) throws DeviceAnswerRejected {
        return new RegistrationSession(client).capture(device, CaptureRequest.fingers(1, List.of()));
    }

    @Test
    void theGenuineDeviceStillCaptures() throws Exception {
        assertEquals(4, capture(discovered()).samples().size());
    }

    @Test
    void rejectsCaptureDataSignedByAnotherTrustedDeviceCarryingTheCopiedDigitalId() throws Exception {
        Device genuine = discovered();
        KeyPair other = otherDeviceKeys();
        fixture.digitalIdKey = PKI.deviceKeys.getPrivate();     // the genuine device's public signed digitalId, copied
        fixture.digitalIdCert = PKI.device;
        fixture.signingKey = other.getPrivate();                // capture data signed by the other device
        fixture.signingCert = certificateFor(other);

        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> capture(genuine));

        assertEquals(RejectionReason.SIGNER_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("another key"), e.getMessage());
    }

    @Test
    void aDeviceAnnouncingACopiedDigitalIdIsUntrustedAtDiscovery() {
        KeyPair other = otherDeviceKeys();
        fixture.digitalIdKey = PKI.deviceKeys.getPrivate();
        fixture.digitalIdCert = PKI.device;
        fixture.signingKey = other.getPrivate();
        fixture.signingCert = certificateFor(other);

        DeviceRegistry registry = client.discover();

        assertTrue(registry.trusted().isEmpty(), registry.toString());
        assertEquals(RejectionReason.DIGITAL_ID_SIGNER_INVALID, registry.untrusted().get(0).rejection().reason());
    }

    @Test
    void rejectsACaptureAfterTheDeviceKeyChangedUntilTheDeviceInfoIsReadAgain() throws Exception {
        Device before = discovered();
        KeyPair rotated = otherDeviceKeys();
        fixture.signingKey = rotated.getPrivate();
        fixture.signingCert = certificateFor(rotated);

        assertEquals(RejectionReason.SIGNER_MISMATCH, assertThrows(DeviceAnswerRejected.class,
                () -> capture(before)).reason());
        assertEquals(4, capture(client.refresh(before)).samples().size());
    }

    /** The client now also trusts {@code ftm} as the FTM-provider CA of L1 chip keys. */
    private void trustFtmProvider(TestPki ftm) {
        client.close();
        client = new SbiClient(TestClients.config(DeviceTrustStore.of(PKI.caList()).withFtmProviderCas(ftm.caList()),
                fixture.port).build());
    }

    @Test
    void anL1DeviceWhoseDigitalIdIsSignedByItsChipKeyCaptures() throws Exception {
        TestPki ftm = new TestPki("Binding FTM Provider CA");
        trustFtmProvider(ftm);
        fixture.certification = "L1";
        fixture.digitalIdKey = ftm.deviceKeys.getPrivate();
        fixture.digitalIdCert = ftm.device;

        Device device = discovered();

        assertEquals("L1", device.certification());
        assertEquals(4, capture(device).samples().size());
    }

    @Test
    void anL1DeviceSigningItsDigitalIdWithItsDeviceKeyIsUntrusted() {
        trustFtmProvider(new TestPki("Binding FTM Provider CA"));
        fixture.certification = "L1";

        DeviceRegistry registry = client.discover();

        // The device key chains to the device-provider CA, never to an FTM-provider CA.
        assertTrue(registry.trusted().isEmpty(), registry.toString());
        assertEquals(RejectionReason.FTM_CERTIFICATE_UNTRUSTED, registry.untrusted().get(0).rejection().reason());
    }

    @Test
    void anUnknownCertificationLevelIsUntrusted() {
        fixture.certification = "L9";

        DeviceRegistry registry = client.discover();

        assertTrue(registry.trusted().isEmpty(), registry.toString());
        assertEquals(RejectionReason.DIGITAL_ID_SIGNER_INVALID, registry.untrusted().get(0).rejection().reason());
    }
}
