package org.stationtrust.ctk.testing;

import java.time.Duration;
import java.util.List;
import org.stationtrust.ctk.Catalogue;
import org.stationtrust.ctk.Harness;
import org.stationtrust.ctk.HarnessKey;
import org.stationtrust.ctk.Operator;
import org.stationtrust.ctk.RunReport;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SbiFormat;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/** Starts simulated devices on free ports and runs the harness against them with short timeouts. */
public final class SimulatorFixture {
    /** One harness key for the whole test JVM: RSA 3072 generation is slow. */
    public static final HarnessKey KEY = HarnessKey.generate();
    public static final Catalogue CATALOGUE = Catalogue.builtIn();

    private SimulatorFixture() {
    }

    public static SimulatedDevice start(DeviceKind kind, String purpose, FaultMode fault) {
        return start(kind, purpose, fault, Duration.ZERO);
    }

    /** A simulator whose captures take {@code captureDelay}, like a sensor waiting for a good image. */
    public static SimulatedDevice start(DeviceKind kind, String purpose, FaultMode fault, Duration captureDelay) {
        return SbiSimulator.start(SimulatorConfig.builder(kind).anyFreePort().purpose(purpose).fault(fault)
                .format(SbiFormat.MOSIP_STRICT)
                .encryptionCertificate(KEY.certificate()).slowDripInterval(Duration.ofMillis(50))
                .captureDelay(captureDelay).build());
    }

    public static Harness.Builder harness(SimulatedDevice device) {
        return Harness.builder(device.port(), DeviceTrustStore.of(List.of(device.ca().certificate())))
                .harnessKey(KEY)
                .grace(Duration.ofMillis(1500))
                .responseLimit(Duration.ofSeconds(3))
                .caseTimeout(Duration.ofSeconds(20));
    }

    /** Runs every case of the catalogue that needs no operator and applies to the device. */
    public static RunReport runAutomatic(SimulatedDevice device) throws InterruptedException {
        return harness(device).operator(Operator.automatic(), false).build().run(automaticCases());
    }

    public static List<TestCase> automaticCases() {
        return CATALOGUE.select(c -> !c.needsOperator());
    }
}
