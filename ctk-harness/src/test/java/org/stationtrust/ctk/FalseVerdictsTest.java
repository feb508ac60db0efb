package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stationtrust.ctk.CaseResult.Outcome;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SbiFormat;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/**
 * One row per false red and false green of issue 16: the device behaviour a case must accept next to
 * the one it must refuse, each against the simulator playing that behaviour, with the finding that
 * must name it.
 */
class FalseVerdictsTest {

    /** How the simulated device behaves in one row. */
    record Device(DeviceKind kind, String purpose, SbiFormat format, FaultMode fault, List<DeviceKind> companions,
                  boolean presented, DeviceStatus status) {
        static Device strict(DeviceKind kind) {
            return new Device(kind, "Registration", SbiFormat.MOSIP_STRICT, FaultMode.NONE, List.of(), true, DeviceStatus.READY);
        }

        Device purpose(String p) { return new Device(kind, p, format, fault, companions, presented, status); }
        Device format(SbiFormat f) { return new Device(kind, purpose, f, fault, companions, presented, status); }
        Device fault(FaultMode f) { return new Device(kind, purpose, format, f, companions, presented, status); }
        Device with(DeviceKind... others) { return new Device(kind, purpose, format, fault, List.of(others), presented, status); }
        Device nothingPresented() { return new Device(kind, purpose, format, fault, companions, false, status); }
        Device status(DeviceStatus s) { return new Device(kind, purpose, format, fault, companions, presented, s); }

        SimulatedDevice start() {
            SimulatedDevice d = SbiSimulator.start(SimulatorConfig.builder(kind).anyFreePort().purpose(purpose)
                    .format(format).fault(fault).companions(companions).status(status).biometricPresented(presented)
                    .encryptionCertificate(SimulatorFixture.KEY.certificate()).build());
            return d;
        }
    }

    static Stream<Arguments> rows() {
        Device slap = Device.strict(DeviceKind.FINGER_SLAP);
        Device face = Device.strict(DeviceKind.FACE);
        return Stream.of(
                // False red: a service with finger, iris and face on one port is not a "foreign digitalId".
                row("several devices on one port: discovery", slap.with(DeviceKind.IRIS_DOUBLE, DeviceKind.FACE),
                        Profile.SPEC, "DISC-ANY-DEVICE", Outcome.PASSED, "digitalId and device identity agree"),
                row("several devices on one port: info", slap.with(DeviceKind.IRIS_DOUBLE, DeviceKind.FACE),
                        Profile.MOSIP, "INFO-SIGNED", Outcome.PASSED, "digitalId and device identity agree"),
                row("several devices on one port, but a foreign digitalId", slap.with(DeviceKind.IRIS_DOUBLE)
                        .fault(FaultMode.FOREIGN_DIGITAL_ID), Profile.SPEC, "INFO-SIGNED", Outcome.FAILED, "foreign digitalId"),
                // False red: 112 demanded for a malformed transaction id; any error passes.
                row("malformed transaction id refused", slap, Profile.MOSIP, "REG-LEFT-SLAP-BAD-TRANSACTION-ID",
                        Outcome.PASSED, "error answered"),
                // False red: trailing bytes after the stream's final boundary are named, not taken for a frame.
                row("stream with stray bytes after the last frame", slap.fault(FaultMode.TRAILING_BYTES_AFTER_STREAM),
                        Profile.MOSIP, "STREAM-CAPTURE-LEFT-SLAP", Outcome.PASSED, "stray bytes after the final boundary"),
                // False red: an error answered instead of a stream is named by its code, not by its Content-Type.
                row("stream answered with an error", slap.status(DeviceStatus.NOT_READY), Profile.SPEC,
                        "STREAM-FRAMES-FINGER", Outcome.FAILED, "STREAM answered error [110] (110 = not ready)"),
                // False green: timeouts have a lower bound.
                row("nothing presented: error at the timeout", slap.nothingPresented(), Profile.MOSIP,
                        "REG-LEFT-SLAP-TIMEOUT-NO-INPUT", Outcome.PASSED, "at or after the timeout"),
                row("nothing presented: error at once", slap.nothingPresented().fault(FaultMode.IGNORES_TIMEOUT),
                        Profile.SPEC, "REG-LEFT-SLAP-TIMEOUT-NO-INPUT", Outcome.FAILED, "ignoring the timeout"),
                row("score unreachable: best frame at the timeout", slap, Profile.SPEC,
                        "REG-LEFT-SLAP-TIMEOUT-WITH-INPUT", Outcome.PASSED, "came at the timeout"),
                row("score unreachable: low score answered at once", slap.format(SbiFormat.DEFAULT), Profile.SPEC,
                        "REG-LEFT-SLAP-TIMEOUT-WITH-INPUT", Outcome.FAILED, "best frame at the timeout"),
                // False green: SBI1196 sends the type upper-cased and wants an error element.
                row("upper-cased discovery type answered with an error", slap, Profile.MOSIP, "DISC-UNKNOWN-TYPE",
                        Outcome.PASSED, "error answered"),
                row("upper-cased discovery type listed as a match", slap.format(SbiFormat.DEFAULT), Profile.SPEC,
                        "DISC-UNKNOWN-TYPE", Outcome.FAILED, "expected an error"),
                // False green: Busy / Not Ready are judged with their error code and signature too.
                row("Busy reported in signed info", slap.status(DeviceStatus.BUSY), Profile.MOSIP, "STATUS-BUSY",
                        Outcome.PASSED, "deviceStatus Busy"),
                row("Not Ready expected but Busy reported", slap.status(DeviceStatus.BUSY), Profile.SPEC,
                        "STATUS-NOT-READY", Outcome.FAILED, "expected deviceStatus Not Ready"),
                // False green: timestamps only yyyy-MM-ddTHH:mm:ssZ.
                row("capture timestamps in the wire form", slap, Profile.MOSIP, "REG-LEFT-SLAP-TIME", Outcome.PASSED,
                        "timestamps are UTC"),
                row("capture timestamps with milliseconds and an offset", slap.fault(FaultMode.FRACTIONAL_TIMESTAMP),
                        Profile.SPEC, "REG-LEFT-SLAP-TIME", Outcome.FAILED, "is not written yyyy-MM-ddTHH:mm:ssZ"),
                // False green: MOSIP's schemas (numbers for scores, extra property, empty errorInfo); the lower-case
                // hash breaks the spec itself ("in upper case"), so the spec profile refuses that one too.
                row("loose formats: the spec profile refuses only the lower-case hash", slap.format(SbiFormat.LOOSE),
                        Profile.SPEC, "REG-LEFT-SLAP", Outcome.FAILED, "schema PASS: answers have every required field"),
                row("loose formats fail the mosip profile", slap.format(SbiFormat.LOOSE), Profile.MOSIP, "REG-LEFT-SLAP",
                        Outcome.FAILED, "qualityScore must be a string of 1-3 digits"),
                row("loose formats: lower-case hash", slap.format(SbiFormat.LOOSE), Profile.MOSIP, "REG-LEFT-SLAP",
                        Outcome.FAILED, "is not upper-case hex"),
                row("loose formats: extra property", slap.format(SbiFormat.LOOSE), Profile.MOSIP, "REG-LEFT-SLAP",
                        Outcome.FAILED, "has the extra property 'vendorNote'"),
                row("authentication capture without domainUri", face.purpose("Auth").format(SbiFormat.LOOSE),
                        Profile.MOSIP, "AUTH-FACE", Outcome.FAILED, "domainUri is missing"),
                row("authentication capture with domainUri", face.purpose("Auth"), Profile.MOSIP, "AUTH-FACE",
                        Outcome.PASSED, "answers follow MOSIP's schemas"),
                // False green: Not Registered with an empty purpose fails MOSIP's enumeration.
                row("Not Registered keeps its purpose", slap.status(DeviceStatus.NOT_REGISTERED), Profile.MOSIP,
                        "STATUS-NOT-REGISTERED", Outcome.PASSED, "deviceStatus Not Registered"),
                row("Not Registered with an empty purpose", slap.format(SbiFormat.DEFAULT).status(DeviceStatus.NOT_REGISTERED),
                        Profile.MOSIP, "STATUS-NOT-REGISTERED", Outcome.FAILED, "purpose '' is not one of"));
    }

    private static Arguments row(String name, Device device, Profile profile, String caseId, Outcome expected,
                                 String mention) {
        return Arguments.of(name, device, profile, caseId, expected, mention);
    }

    @ParameterizedTest(name = "{0} ({2}, {3}) -> {4}")
    @MethodSource("rows")
    void eachCaseAcceptsTheCompliantBehaviourAndRefusesTheBrokenOneNamingIt(String name, Device device, Profile profile,
                                                                          String caseId, Outcome expected, String mention)
            throws Exception {
        try (SimulatedDevice d = device.start()) {
            CaseResult r = run(d, profile, null, caseId);
            String said = said(r);
            assertEquals(expected, r.outcome(), name + ": " + said);
            assertTrue(said.contains(mention), name + ": expected the report to say '" + mention + "' but it said: " + said);
        }
    }

    /** False red: an abandoned capture leaves the device Busy; the next case waits for Ready and passes. */
    @Test
    void aCaseWaitsForTheDeviceToLeaveBusyInsteadOfInheritingIt() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                .format(SbiFormat.MOSIP_STRICT).captureDelay(Duration.ofMillis(1500)).build())) {
            CompletableFuture<CaseResult> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return run(d, Profile.SPEC, null, "REG-RIGHT-SLAP");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // the other client's capture now holds the sensor
            CaseResult second = run(d, Profile.SPEC, null, "REG-LEFT-SLAP");
            assertEquals(Outcome.PASSED, second.outcome(), said(second));
            assertEquals(Outcome.PASSED, first.get().outcome(), said(first.get()));
        }
    }

    /** The device stays Busy: the case fails, and the verdict names Busy and the 111 answer. */
    @Test
    void aDeviceThatStaysBusyIsNamedBusyInTheVerdict() throws Exception {
        try (SimulatedDevice d = Device.strict(DeviceKind.FINGER_SLAP).status(DeviceStatus.BUSY).start()) {
            CaseResult r = SimulatorFixture.harness(d).readyWait(Duration.ofMillis(600))
                    .operator(Operator.automatic(), true).build().run(List.of(SimulatorFixture.CATALOGUE.byId("REG-LEFT-SLAP")))
                    .results().get(0);
            assertEquals(Outcome.FAILED, r.outcome());
            assertTrue(r.reason().startsWith("the device was Busy before the case started"), r.reason());
            assertTrue(r.reason().contains("111 = device busy"), r.reason());
        }
    }

    /** False red: --type Iris on a port that serves finger first tests the iris device, not the first one. */
    @Test
    void theDeviceTypeChoosesTheDeviceOnASharedPort() throws Exception {
        try (SimulatedDevice d = Device.strict(DeviceKind.FINGER_SLAP).with(DeviceKind.IRIS_DOUBLE).start()) {
            RunReport report = SimulatorFixture.harness(d).deviceType("Iris").operator(Operator.automatic(), true).build()
                    .run(List.of(SimulatorFixture.CATALOGUE.byId("REG-IRIS-DOUBLE"), SimulatorFixture.CATALOGUE.byId("REG-LEFT-SLAP")));
            assertEquals("Iris", report.device().get("type"));
            assertEquals(Outcome.PASSED, report.results().get(0).outcome(), said(report.results().get(0)));
            assertEquals(Outcome.SKIPPED, report.results().get(1).outcome(), "the finger case does not apply to the iris device");
            RunReport face = SimulatorFixture.harness(d).deviceType("Face").build()
                    .run(List.of(SimulatorFixture.CATALOGUE.byId("DISC-OWN-TYPE")));
            assertEquals(Outcome.FAILED, face.results().get(0).outcome());
            assertTrue(face.results().get(0).reason().contains("of type Face"), face.results().get(0).reason());
        }
    }

    private static CaseResult run(SimulatedDevice d, Profile profile, String type, String caseId) throws InterruptedException {
        return SimulatorFixture.harness(d).profile(profile).deviceType(type).operator(Operator.automatic(), true)
                .build().run(List.of(SimulatorFixture.CATALOGUE.byId(caseId))).results().get(0);
    }

    private static String said(CaseResult r) {
        return r.reason() + " || " + r.checks().stream().map(c -> c.check() + " " + c.status() + ": " + c.message())
                .collect(Collectors.joining(" | "));
    }
}
