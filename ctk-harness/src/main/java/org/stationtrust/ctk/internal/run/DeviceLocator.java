package org.stationtrust.ctk.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stationtrust.ctk.internal.catalogue.CatalogueVocabulary;
import org.stationtrust.ctk.internal.check.AnswerFields;
import org.stationtrust.ctk.internal.device.DeviceChannel;
import org.stationtrust.ctk.internal.device.DeviceProfile;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceRegistry;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;

/** Identifies the device under test on its port; across ports, sbi-client's discovery finds it. */
public final class DeviceLocator {
    private static final byte[] ANY = "{\"type\":\"Biometric Device\"}".getBytes(StandardCharsets.UTF_8);
    private static final String KINDS = "Finger: Slap, Single, Touchless; Iris: Single, Double; Face: Full face";

    private DeviceLocator() {
    }

    /** The outcome of identifying the device: its profile, or why discovery did not give one. */
    public record Located(Optional<DeviceProfile> profile, String problem, long elapsedNanos) {
    }

    /** The first device (or the one with {@code deviceId}) the service on {@code port} lists. */
    public static Optional<DeviceProfile> onPort(int port, String deviceId, Duration timeout) {
        return locate(port, deviceId, timeout).profile();
    }

    /** Like {@link #onPort} but says why no device was identified. */
    public static Located locate(int port, String deviceId, Duration timeout) {
        return locate(port, deviceId, null, timeout);
    }

    /**
     * The device with {@code deviceId}, else the first of {@code type} (Finger, Iris, Face; any when
     * null), among those the service on {@code port} lists: a service may serve several on one port.
     */
    public static Located locate(int port, String deviceId, String type, Duration timeout) {
        Exchange e = new DeviceChannel(port).send("MOSIPDISC", "/device", ANY, timeout);
        if (!e.answered()) {
            return new Located(Optional.empty(), "MOSIPDISC got no answer (" + e.transportError() + ")", e.elapsedNanos());
        }
        if (e.truncated()) {
            return new Located(Optional.empty(), "MOSIPDISC answer exceeds the size limit (oversized body)", e.elapsedNanos());
        }
        if (e.status() != 200) {
            return new Located(Optional.empty(), "MOSIPDISC answered HTTP " + e.status(), e.elapsedNanos());
        }
        JsonNode list = AnswerFields.json(e.responseBody()).orElse(null);
        if (list == null || !list.isArray()) {
            return new Located(Optional.empty(), "MOSIPDISC answer is not a JSON array (malformed JSON)", e.elapsedNanos());
        }
        for (JsonNode d : list) {
            Optional<DeviceProfile> p = profile(port, d, deviceId);
            if (p.isPresent() && (type == null || p.get().type().equalsIgnoreCase(type))) {
                Optional<String> unknown = unknownKind(p.get());
                return unknown.isPresent() ? new Located(Optional.empty(), unknown.get(), e.elapsedNanos())
                        : new Located(p, null, e.elapsedNanos());
            }
        }
        return new Located(Optional.empty(), "MOSIPDISC listed no device with a readable digitalId"
                + (deviceId == null ? "" : " and deviceId " + deviceId) + (type == null ? "" : " of type " + type),
                e.elapsedNanos());
    }

    private static Optional<DeviceProfile> profile(int port, JsonNode d, String deviceId) {
        String id = d.path("deviceId").asText(null);
        if (id == null || (deviceId != null && !deviceId.equals(id))) {
            return Optional.empty();
        }
        JsonNode digitalId = AnswerFields.digitalId(d.path("digitalId").asText(null)).orElse(null);
        String type = digitalId == null ? null : digitalId.path("type").asText(null);
        String subType = digitalId == null ? null : digitalId.path("deviceSubType").asText(null);
        if (type == null || subType == null) {
            return Optional.empty();
        }
        List<String> subIds = new ArrayList<>();
        d.path("deviceSubId").forEach(n -> subIds.add(n.asText()));
        List<String> specs = new ArrayList<>();
        d.path("specVersion").forEach(n -> specs.add(n.asText()));
        return Optional.of(new DeviceProfile(port, id, subIds, type, subType, d.path("purpose").asText(""),
                d.path("deviceStatus").asText(""), specs, digitalId, d.path("deviceCode").asText(null),
                d.path("certification").asText(null), d.path("serviceVersion").asText(null)));
    }

    /**
     * Cases are chosen by the digitalId's type and deviceSubType, so a pair SBI 0.9.5 §Digital ID does not
     * define ("slap", "Full Face") would leave every case "not applicable" and nothing judged: refuse it instead.
     */
    private static Optional<String> unknownKind(DeviceProfile p) {
        Set<String> subTypes = CatalogueVocabulary.SUBTYPES.get(p.type());
        if (subTypes != null && subTypes.contains(p.subType())) {
            return Optional.empty();
        }
        return Optional.of("MOSIPDISC lists deviceId " + Redaction.deviceText(p.deviceId()) + " whose digitalId names type '"
                + Redaction.deviceText(p.type()) + "' and deviceSubType '" + Redaction.deviceText(p.subType())
                + "', which SBI 0.9.5 does not define (" + KINDS + "; exact spelling): no case can be chosen for it");
    }

    /** The device's signing chain and firmware as its signed info states them (empty when unreadable). */
    public record Identity(List<org.stationtrust.ctk.CertificateFacts> certificates, String firmware) {
    }

    /** Reads MOSIPDINFO once for the report: the x5c chain of deviceId's deviceInfo and its firmware. */
    public static Identity identity(int port, String deviceId, Duration timeout) {
        Exchange e = new DeviceChannel(port).send("MOSIPDINFO", "/info", new byte[0], timeout);
        JsonNode list = e.answered() && !e.truncated() ? AnswerFields.json(e.responseBody()).orElse(null) : null;
        if (list == null || !list.isArray()) {
            return new Identity(List.of(), "");
        }
        for (JsonNode entry : list) {
            String jws = entry.path("deviceInfo").asText(null);
            JsonNode payload = AnswerFields.digitalId(jws).orElse(null);
            if (payload == null || !(list.size() == 1 || deviceId.equals(payload.path("deviceId").asText()))) {
                continue;
            }
            List<org.stationtrust.ctk.CertificateFacts> certs = new ArrayList<>();
            try {
                var header = org.stationtrust.ctk.internal.check.Certificates.header(jws);
                if (header.isPresent()) {
                    var chain = org.stationtrust.ctk.internal.check.Certificates.chain(header.get());
                    for (int i = 0; i < chain.size(); i++) {
                        certs.add(org.stationtrust.ctk.CertificateFacts.of(i == 0 ? "device" : "device chain " + i, chain.get(i)));
                    }
                }
            } catch (java.security.cert.CertificateException ex) {
                // unsigned or malformed: the checks report it; the summary just has no certificate
            }
            return new Identity(certs, payload.path("firmware").asText(""));
        }
        return new Identity(List.of(), "");
    }

    /** Ports to test, found with sbi-client's discovery: verified devices first, then rejected ones (see Harness). */
    public static List<Integer> discoverPorts(int first, int last, String type, DeviceTrustStore vendorCa,
                                              PrintStream notes) {
        SbiClientConfig config = SbiClientConfig.builder(vendorCa).ports(first, last).build();
        try (SbiClient client = new SbiClient(config)) {
            DeviceRegistry registry = client.discover();
            List<Integer> ports = new ArrayList<>();
            for (Device d : registry.devices()) {
                if ((type == null || d.type().wireName().equalsIgnoreCase(type)) && !ports.contains(d.port())) {
                    ports.add(d.port());
                }
            }
            registry.untrusted().forEach(u -> {
                notes.println("port " + u.port() + " listed device " + u.deviceId() + " whose info was rejected ("
                        + u.rejection().reason() + "): " + u.rejection().detail());
                if (!ports.contains(u.port())) {
                    ports.add(u.port());
                }
            });
            registry.rejections().forEach((port, why) -> {
                notes.println("port " + port + " answered but was rejected (" + why.reason() + "): " + why.detail());
                if (!ports.contains(port)) {
                    ports.add(port);
                }
            });
            return ports;
        }
    }
}
