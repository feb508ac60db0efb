package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stationtrust.sbi.client.internal.CaptureVerifier;
import org.stationtrust.sbi.client.internal.DeviceInfoVerifier;
import org.stationtrust.sbi.client.internal.DeviceJwsVerifier;
import org.stationtrust.sbi.client.internal.DeviceVerifiers;
import org.stationtrust.sbi.client.internal.TimestampWindow;
import org.stationtrust.sbi.client.testing.TestPki;

/**
 * Fuzzes every response parser with Jazzer (bounded to a few seconds in the normal build, see the
 * surefire configuration): only {@link DeviceAnswerRejected} may escape.
 */
class ResponseParserFuzzTest {
    static final TestPki PKI = new TestPki("Fuzz CA");
    static final DeviceVerifiers VERIFIERS = DeviceVerifiers.of(DeviceTrustStore.of(PKI.caList()),
            Set.of("RS256", "ES256"), Clock.systemUTC());
    static final DeviceJwsVerifier JWS = VERIFIERS.deviceKeys();
    static final TimestampWindow TIMESTAMPS = new TimestampWindow(Duration.ofMinutes(5), Clock.systemUTC());
    static final DeviceInfoVerifier INFO = new DeviceInfoVerifier(VERIFIERS, TIMESTAMPS, "Staging");
    static final CaptureVerifier CAPTURE = new CaptureVerifier(VERIFIERS, TIMESTAMPS, "Staging");
    static final DigitalId DIGITAL_ID = new DigitalId("FIX-0001", "Fixture", "FX-SLAP", Modality.FINGER, "Slap",
            "Fixture Provider", "fixture.provider", "");
    static final Device SLAP = new Device(4501, "1", List.of(1, 2, 3), DeviceStatus.READY, "L0", "Registration", "1.0",
            "FIX-0001", List.of("0.9.5"), "http://127.0.0.1:4501/", "1.0", DIGITAL_ID, Optional.of(PKI.device));
    static final List<DeviceInfoVerifier.DiscoveredDevice> DISCOVERED = List.of(new DeviceInfoVerifier.DiscoveredDevice(
            "1", "Ready", "L0", "1.0", List.of(1, 2, 3), "http://127.0.0.1:4501/", DIGITAL_ID, "FIX-0001",
            List.of("0.9.5"), "Registration"));

    /** Feeds {@code input} to the parser chosen by {@code which}; fails on any non-typed exception. */
    static void parseOnce(int which, byte[] input) {
        try {
            switch (Math.floorMod(which, 5)) {
                case 0 -> DeviceInfoVerifier.parseDiscovery(input);
                case 1 -> INFO.verify(4501, DISCOVERED, input);
                case 2 -> CAPTURE.verify(SLAP, CaptureRequest.fingers(1, List.of()), CaptureVerifier.Purpose.REGISTRATION,
                        "tx-fuzz-1", HashChain.start(), input);
                case 3 -> JWS.verify(new String(input, StandardCharsets.UTF_8), "fuzzed");
                default -> {
                    StreamPartReader reader = new StreamPartReader(new ByteArrayInputStream(input),
                            "multipart/x-mixed-replace; boundary=frame", 4096);
                    for (int i = 0; i < 16 && reader.next().isPresent(); i++) {
                        // drain a few frames
                    }
                }
            }
        } catch (DeviceAnswerRejected expected) {
            assertTrue(expected.getMessage().length() < 2000, "messages stay short");
        } catch (java.io.IOException e) {
            throw new AssertionError("a byte-array stream cannot fail", e);
        }
    }

    @FuzzTest(maxDuration = "4s")
    void onlyTypedRejectionsEscapeTheResponseParsers(FuzzedDataProvider data) {
        int which = data.consumeInt();
        parseOnce(which, data.consumeRemainingAsBytes());
    }
}
