package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.SimulatorRig;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceProviderCa;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatedDevices;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/**
 * Discovery with several simulators at once, ports held by things that are not SBI services, and
 * devices that drip or flood their discovery answers.
 */
class DiscoveryRobustnessTest {

    /** A socket that accepts connections (the kernel completes the handshake) and never answers. */
    private static ServerSocket silentSocketInRange() throws IOException {
        for (int port = SimulatorRig.FIRST; port <= SimulatorRig.LAST; port++) {
            try {
                return new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
            } catch (IOException busy) {
                // taken, try the next one
            }
        }
        throw new IOException("no free port in the SBI range");
    }

    /** A plain web server that knows nothing of SBI (answers 404 to every verb and path). */
    private static HttpServer plainHttpServerInRange() throws IOException {
        for (int port = SimulatorRig.FIRST; port <= SimulatorRig.LAST; port++) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10);
                server.createContext("/", ex -> {
                    byte[] body = "<html>not found</html>".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(404, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                });
                server.start();
                return server;
            } catch (IOException busy) {
                // taken, try the next one
            }
        }
        throw new IOException("no free port in the SBI range");
    }

    @Test
    void severalSimulatorsAtOnceAndForeignPortsDoNotStallDiscovery() throws Exception {
        DeviceProviderCa ca = DeviceProviderCa.generate("Shared Provider CA");
        DeviceProviderCa otherCa = DeviceProviderCa.generate("Unapproved Provider CA");
        HttpServer plain = plainHttpServerInRange();
        try (ServerSocket silent = silentSocketInRange();
             SimulatorRig first = SimulatorRig.start(ca);
             SimulatorRig second = SimulatorRig.start(ca);
             SimulatedDevices unapproved = SimulatedDevices.start(SimulatorConfig.builder(DeviceKind.FACE)
                     .firstFreePortIn(SimulatorRig.FIRST, SimulatorRig.LAST).ca(otherCa).build(),
                     List.of(DeviceKind.FACE));
             SimulatedDevice dripping = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.IRIS_DOUBLE)
                     .firstFreePortIn(SimulatorRig.FIRST, SimulatorRig.LAST).ca(ca).fault(FaultMode.SLOW_DRIP).build());
             SimulatedDevice flooding = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FACE)
                     .firstFreePortIn(SimulatorRig.FIRST, SimulatorRig.LAST).ca(ca).fault(FaultMode.OVERSIZED_BODY)
                     .build())) {
            long start = System.nanoTime();
            DeviceRegistry registry = first.client.discover();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 10_000, "discovery of 100 ports took " + ms + " ms");

            Set<Integer> trustedPorts = registry.trusted().stream().map(Device::port).collect(Collectors.toSet());
            for (SimulatorRig rig : List.of(first, second)) {
                for (SimulatedDevice d : rig.devices.all()) {
                    assertTrue(trustedPorts.contains(d.port()), "missing " + d + " in " + registry);
                }
            }
            assertTrue(registry.ofType(Modality.FINGER).size() >= 2);
            int plainPort = plain.getAddress().getPort();
            assertEquals(RejectionReason.HTTP_STATUS, registry.rejections().get(plainPort).reason());
            assertEquals(RejectionReason.TIMEOUT, registry.rejections().get(silent.getLocalPort()).reason());
            int unapprovedPort = unapproved.all().get(0).port();
            UntrustedDevice unapprovedDevice = registry.untrusted().stream().filter(u -> u.port() == unapprovedPort)
                    .findFirst().orElseThrow(() -> new AssertionError("the unapproved device is not listed: " + registry));
            assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, unapprovedDevice.rejection().reason());
            assertEquals(RejectionReason.TIMEOUT, registry.rejections().get(dripping.port()).reason());
            assertEquals(RejectionReason.ANSWER_TOO_LARGE, registry.rejections().get(flooding.port()).reason());
            assertTrue(trustedPorts.stream().noneMatch(p -> p == plainPort || p == silent.getLocalPort()
                    || p == unapprovedPort));
        } finally {
            plain.stop(0);
        }
    }

    @Test
    void aDiscoveryOfAnEmptyRangeFindsNothingQuickly() {
        DeviceProviderCa ca = DeviceProviderCa.generate("Lonely CA");
        try (SbiClient client = new SbiClient(SimulatorRig.config(ca).ports(1, 100).build())) {
            long start = System.nanoTime();
            DeviceRegistry registry = client.discover();
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
            assertTrue(registry.trusted().isEmpty());
        }
    }
}
