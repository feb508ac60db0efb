package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.RegistrationSession;
import org.stationtrust.sbi.client.testing.SimulatorRig;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/** sbi-client against the independently written sbi-simulator: the happy paths and device states. */
class SimulatorInteropTest {
    private static SimulatorRig rig;

    @BeforeAll
    static void start() {
        rig = SimulatorRig.start();
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    @AfterEach
    void reset() {
        rig.devices.all().forEach(SimulatedDevice::reset);
    }

    @Test
    void discoveryFindsAllThreeDevicesOnTheirPorts() {
        DeviceRegistry registry = rig.discover();
        Map<Integer, Device> byPort = registry.trusted().stream().collect(Collectors.toMap(Device::port, d -> d));
        for (DeviceKind kind : DeviceKind.values()) {
            SimulatedDevice sim = rig.simulated(kind);
            Device found = byPort.get(sim.port());
            assertTrue(found != null, kind + " not found on port " + sim.port() + ": " + registry);
            assertEquals(Modality.fromWire(kind.bioType()), found.type());
            assertEquals(kind.deviceSubType(), found.subType());
            assertEquals(sim.deviceId(), found.deviceId());
            assertEquals(kind.deviceSubIds(), found.deviceSubIds());
            assertEquals(sim.serialNumber(), found.serialNo());
            assertEquals(DeviceStatus.READY, found.status());
            assertEquals("Registration", found.purpose());
            assertTrue(found.specVersions().contains("0.9.5"));
            assertEquals(sim.deviceCertificate(), found.certificate().orElseThrow());
            assertEquals(sim.callbackUrl().toString().replaceAll("/$", ""), found.callbackId().replaceAll("/$", ""));
        }
    }

    @Test
    void aFullRegistrationVerifiesWithTheHashChainCarriedAcrossRequests() throws Exception {
        Device slap = rig.device(DeviceKind.FINGER_SLAP);
        Device iris = rig.device(DeviceKind.IRIS_DOUBLE);
        Device face = rig.device(DeviceKind.FACE);
        RegistrationSession registration = new RegistrationSession(rig.client);
        List<CaptureResult> results = new ArrayList<>();
        List<String> previousHashes = new ArrayList<>();
        for (Object[] step : new Object[][] {
                {slap, CaptureRequest.fingers(1, List.of())}, {slap, CaptureRequest.fingers(2, List.of())},
                {slap, CaptureRequest.fingers(3, List.of())}, {iris, CaptureRequest.irises(3, List.of())},
                {face, CaptureRequest.face()}}) {
            previousHashes.add(registration.previousHash());
            results.add(registration.capture((Device) step[0], (CaptureRequest) step[1]));
        }
        assertEquals(List.of(4, 4, 2, 2, 1), results.stream().map(r -> r.samples().size()).toList());
        assertEquals(HashChain.START_HEX, previousHashes.get(0));
        // Recompute the whole chain independently: one chain over every record of the registration.
        HashChain chain = HashChain.start();
        for (int i = 0; i < results.size(); i++) {
            assertEquals(previousHashes.get(i), chain.hex(), "capture " + i + " did not continue the chain");
            for (BiometricSample s : results.get(i).samples()) {
                chain = chain.next(s.bioValue());
                assertTrue(chain.matches(s.hash()));
            }
        }
        assertEquals(chain.hex(), registration.previousHash());
        assertEquals(5, registration.captures());
        assertEquals(List.of("Left", "Right"), results.get(3).samples().stream().map(BiometricSample::bioSubType).sorted().toList());
        assertTrue(new String(results.get(0).samples().get(0).bioValue(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII).startsWith("FIR"));
    }

    @Test
    void capturesWithExceptionsAndTheFaceExceptionPhoto() throws Exception {
        RegistrationSession registration = new RegistrationSession(rig.client);
        CaptureResult slap = registration.capture(rig.device(DeviceKind.FINGER_SLAP),
                CaptureRequest.fingers(2, List.of("Right LittleFinger", "Right RingFinger")));
        assertEquals(List.of("Right IndexFinger", "Right MiddleFinger"),
                slap.samples().stream().map(BiometricSample::bioSubType).sorted().toList());
        CaptureResult photo = registration.capture(rig.device(DeviceKind.FACE),
                CaptureRequest.exceptionPhoto(List.of("Right LittleFinger", "Right RingFinger")));
        assertEquals(1, photo.samples().size());
        assertEquals(Modality.FACE, photo.samples().get(0).bioType());
        CaptureResult leftIris = registration.capture(rig.device(DeviceKind.IRIS_DOUBLE), CaptureRequest.irises(1, List.of()));
        assertEquals("Left", leftIris.samples().get(0).bioSubType());
    }

    @Test
    void aNotRegisteredDeviceIsListedButNeverTrustedNorCaptured() throws Exception {
        SimulatedDevice sim = rig.simulated(DeviceKind.IRIS_DOUBLE);
        sim.setStatus(org.stationtrust.sbi.simulator.DeviceStatus.NOT_REGISTERED);
        Device iris = rig.client.probe(sim.port()).get(0);
        assertEquals(DeviceStatus.NOT_REGISTERED, iris.status());
        assertFalse(iris.trusted());
        assertEquals(Optional.empty(), iris.certificate());
        assertFalse(rig.discover().trusted().stream().anyMatch(d -> d.port() == sim.port()));
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> new RegistrationSession(rig.client).capture(iris, CaptureRequest.irises(3, List.of())));
        assertEquals(RejectionReason.NOT_REGISTERED, e.reason());
    }

    @Test
    void aBusyOrNotReadyDeviceIsRefusedBeforeAnyCapture() throws Exception {
        SimulatedDevice sim = rig.simulated(DeviceKind.FACE);
        Device face = rig.device(DeviceKind.FACE);
        sim.setStatus(org.stationtrust.sbi.simulator.DeviceStatus.BUSY);
        Device busy = rig.client.refresh(face);
        assertEquals(DeviceStatus.BUSY, busy.status());
        assertEquals(RejectionReason.DEVICE_BUSY, assertThrows(DeviceAnswerRejected.class,
                () -> new RegistrationSession(rig.client).capture(busy, CaptureRequest.face())).reason());
        sim.setStatus(org.stationtrust.sbi.simulator.DeviceStatus.NOT_READY);
        Device notReady = rig.client.refresh(face);
        assertEquals(RejectionReason.DEVICE_NOT_READY, assertThrows(DeviceAnswerRejected.class,
                () -> new RegistrationSession(rig.client).capture(notReady, CaptureRequest.face())).reason());
        // The device answers 110 itself too, if the station captures with a stale view.
        assertEquals(RejectionReason.DEVICE_NOT_READY, assertThrows(DeviceAnswerRejected.class,
                () -> new RegistrationSession(rig.client).capture(face, CaptureRequest.face())).reason());
    }

    @Test
    void aRotatedDeviceKeyFromTheSameProviderIsAccepted() throws Exception {
        SimulatedDevice sim = rig.simulated(DeviceKind.FINGER_SLAP);
        Device before = rig.device(DeviceKind.FINGER_SLAP);
        sim.rotateKey();
        Device after = rig.client.refresh(before);
        assertNotEquals(before.certificate(), after.certificate());
        assertEquals(4, new RegistrationSession(rig.client).capture(after, CaptureRequest.fingers(1, List.of())).samples().size());
    }

    @Test
    void aCaptureWithNothingPresentedEndsWithTheDeviceErrorAtItsTimeout() throws Exception {
        SimulatedDevice sim = rig.simulated(DeviceKind.FACE);
        sim.setBiometricPresented(false);
        long start = System.nanoTime();
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> new RegistrationSession(rig.client)
                .capture(rig.device(DeviceKind.FACE), CaptureRequest.face().withTimeout(Duration.ofSeconds(1))));
        assertEquals(RejectionReason.DEVICE_ERROR, e.reason());
        assertTrue(e.getMessage().contains("101"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void repeatedCapturesPayForTheTrustPathOnce() throws Exception {
        Device slap = rig.device(DeviceKind.FINGER_SLAP);
        RegistrationSession registration = new RegistrationSession(rig.client);
        registration.capture(slap, CaptureRequest.fingers(1, List.of()));
        int chains = rig.client.config().trustStore().cachedChains();
        assertTrue(chains >= 1, "the device chain was validated and cached");
        for (int i = 0; i < 3; i++) {
            registration.capture(slap, CaptureRequest.fingers(2, List.of()));
        }
        assertEquals(chains, rig.client.config().trustStore().cachedChains());
        assertEquals(4, registration.captures());
    }

    @Test
    void aStreamThatNeverAnswersEndsAtItsDeadline() throws Exception {
        Device face = rig.device(DeviceKind.FACE);
        rig.simulated(DeviceKind.FACE).setFault(org.stationtrust.sbi.simulator.FaultMode.NEVER_ANSWERS);
        long start = System.nanoTime();
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> {
            try (JpegFrameStream stream = rig.client.stream(face, 0, Duration.ofSeconds(1))) {
                stream.nextFrame();
            }
        });
        assertEquals(RejectionReason.TIMEOUT, e.reason());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(6).toNanos());
    }

    @Test
    void theStreamDeliversJpegFramesUntilClosed() throws Exception {
        Device face = rig.device(DeviceKind.FACE);
        try (JpegFrameStream stream = rig.client.stream(face, 0, Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                byte[] frame = stream.nextFrame().orElseThrow();
                assertEquals((byte) 0xFF, frame[0]);
                assertEquals((byte) 0xD8, frame[1]);
            }
            assertEquals(3, stream.framesRead());
        }
    }

    @Test
    void theStreamEndsWhenTheMatchingCaptureCompletes() throws Exception {
        Device slap = rig.device(DeviceKind.FINGER_SLAP);
        try (JpegFrameStream stream = rig.client.stream(slap, 1, Duration.ofSeconds(10))) {
            assertTrue(stream.nextFrame().isPresent());
            new RegistrationSession(rig.client).capture(slap, CaptureRequest.fingers(1, List.of()));
            long start = System.nanoTime();
            while (stream.nextFrame().isPresent()) {
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "stream did not end");
            }
        }
    }
}
