package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.FixtureDevice;
import org.stationtrust.sbi.client.testing.RawHttpServer;
import org.stationtrust.sbi.client.testing.RawHttpServer.RawAnswer;
import org.stationtrust.sbi.client.testing.RegistrationSession;
import org.stationtrust.sbi.client.testing.TestClients;
import org.stationtrust.sbi.client.testing.TestPki;

/** One service listing two devices, one of which signs its device info with an unapproved provider's key. */
class DiscoveryPerDeviceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki APPROVED = new TestPki("Approved Provider CA");
    private static final TestPki UNAPPROVED = new TestPki("Unapproved Provider CA");

    /** The fixture's device "1" (approved) and a second device "2" whose info the unapproved provider signed. */
    private static RawAnswer twoDevices(FixtureDevice fixture, RawHttpServer.RawRequest request) throws Exception {
        switch (request.verb()) {
            case "MOSIPDISC": {
                ArrayNode list = (ArrayNode) JSON.readTree(fixture.discovery());
                ObjectNode second = list.get(0).deepCopy();
                second.put("deviceId", "2");
                list.add(second);
                return RawAnswer.json(200, list.toString());
            }
            case "MOSIPDINFO": {
                ArrayNode list = (ArrayNode) JSON.readTree(fixture.info());
                ObjectNode payload = fixture.infoPayload();
                payload.put("deviceId", "2");
                ObjectNode second = list.get(0).deepCopy();
                second.put("deviceInfo", TestPki.signRs256(payload.toString(), UNAPPROVED.deviceKeys.getPrivate(),
                        UNAPPROVED.device));
                list.add(second);
                return RawAnswer.json(200, list.toString());
            }
            default:
                return fixture.answer(request);
        }
    }

    @Test
    void discoveryKeepsTheDeviceThatVerifiesAndListsTheOtherAsUntrustedWithItsReason() throws Exception {
        FixtureDevice fixture = new FixtureDevice(APPROVED);
        try (RawHttpServer server = fixture.serve();
             SbiClient client = TestClients.client(APPROVED, fixture.port)) {
            server.handler(request -> twoDevices(fixture, request));

            DeviceRegistry registry = client.discover();

            assertEquals(List.of(FixtureDevice.DEVICE_ID), registry.trusted().stream().map(Device::deviceId).toList());
            assertEquals(1, registry.untrusted().size(), registry.toString());
            UntrustedDevice untrusted = registry.untrusted().get(0);
            assertEquals("2", untrusted.deviceId());
            assertEquals(fixture.port, untrusted.port());
            assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, untrusted.rejection().reason());
            assertTrue(untrusted.status().startsWith("untrusted: CERTIFICATE_UNTRUSTED"), untrusted.status());
            assertTrue(registry.rejections().isEmpty(), "the port itself is not rejected: " + registry.rejections());
            assertTrue(registry.devices().stream().noneMatch(d -> d.deviceId().equals("2")),
                    "the untrusted device must not be a Device that could capture");
        }
    }

    @Test
    void theTrustedDeviceOfSuchAServiceStillCaptures() throws Exception {
        FixtureDevice fixture = new FixtureDevice(APPROVED);
        try (RawHttpServer server = fixture.serve();
             SbiClient client = TestClients.client(APPROVED, fixture.port)) {
            server.handler(request -> twoDevices(fixture, request));

            Device slap = client.discover().first(Modality.FINGER).orElseThrow();
            CaptureResult left = new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of()));

            assertEquals(4, left.samples().size());
        }
    }

    @Test
    void aStrictProbeOfThatPortStillNamesTheUntrustedDevice() throws Exception {
        FixtureDevice fixture = new FixtureDevice(APPROVED);
        try (RawHttpServer server = fixture.serve();
             SbiClient client = TestClients.client(APPROVED, fixture.port)) {
            server.handler(request -> twoDevices(fixture, request));

            DeviceAnswerRejected rejected = assertThrows(DeviceAnswerRejected.class, () -> client.probe(fixture.port));

            assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, rejected.reason());
        }
    }
}
