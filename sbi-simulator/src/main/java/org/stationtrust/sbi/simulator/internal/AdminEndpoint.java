package org.stationtrust.sbi.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;

/**
 * The local admin endpoint under {@code /admin/}: lets a test or an operator switch status, fault,
 * quality and presentation, rotate the device key, and fetch the CA certificate. Answers only
 * loopback clients and is never subject to fault modes. README.md documents every route.
 */
public final class AdminEndpoint {
    private static final JsonLog LOG = new JsonLog(AdminEndpoint.class);

    private final DeviceService device;

    public AdminEndpoint(DeviceService device) {
        this.device = device;
    }

    private static final Set<String> POST_ROUTES = Set.of("/admin/status", "/admin/fault", "/admin/quality",
            "/admin/biometric-presented", "/admin/rotate-key", "/admin/encryption-certificate", "/admin/reset");

    public void handle(HttpExchange ex, String path, byte[] body) throws IOException {
        if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
            Transport.sendPlain(ex, 403, "application/json", problem("admin endpoint answers loopback clients only"));
            return;
        }
        // A web page (or a DNS-rebound name) could otherwise flip faults of a device the operator's browser
        // talks to; browsers always send Origin on such requests, curl and test clients never do.
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            Transport.sendPlain(ex, 403, "application/json", problem("admin endpoint refuses browser requests (Origin "
                    + origin.replaceAll("[^\\x20-\\x7e]", "?") + "); call it from curl or a test client"));
            return;
        }
        String method = ex.getRequestMethod();
        String allowed = path.equals("/admin/state") || path.equals("/admin/ca.pem") ? "GET"
                : POST_ROUTES.contains(path) ? "POST" : null;
        if (allowed == null) {
            Transport.sendPlain(ex, 404, "application/json", problem("no admin route " + path
                    + "; see sbi-simulator/README.md"));
            return;
        }
        if (!allowed.equals(method)) {
            ex.getResponseHeaders().set("Allow", allowed);
            Transport.sendPlain(ex, 405, "application/json", problem(path + " accepts " + allowed));
            return;
        }
        if (path.equals("/admin/ca.pem")) {
            Transport.sendPlain(ex, 200, "application/x-pem-file", device.credentials().ca().certificatePem());
            return;
        }
        try {
            if (allowed.equals("POST")) {
                apply(path, body);
                LOG.info("admin.changed", "admin", path, "serial", device.profile().serialNo(), "status",
                        device.state().status().wire(), "fault", device.state().fault());
            }
        } catch (IllegalArgumentException e) {
            Transport.sendPlain(ex, 400, "application/json", problem(e.getMessage()));
            return;
        }
        Transport.sendPlain(ex, 200, "application/json", stateJson().toString());
    }

    private void apply(String path, byte[] body) {
        DeviceState st = device.state();
        switch (path) {
            case "/admin/status" -> st.setStatus(DeviceStatus.parse(field(body, "status").asText()));
            case "/admin/fault" -> st.setFault(FaultMode.parse(field(body, "fault").asText()));
            case "/admin/quality" -> {
                JsonNode q = field(body, "quality");
                if (!q.isIntegralNumber() && !q.asText().matches("[0-9]{1,3}")) {
                    throw new IllegalArgumentException("quality must be an integer 0-100, was " + q);
                }
                st.setQuality(q.isNumber() ? q.intValue() : Integer.parseInt(q.asText()));
            }
            case "/admin/biometric-presented" -> {
                JsonNode p = field(body, "presented");
                if (!p.isBoolean()) {
                    throw new IllegalArgumentException("presented must be true or false, was " + p);
                }
                st.setBiometricPresented(p.booleanValue());
            }
            case "/admin/rotate-key" -> device.credentials().rotate();
            case "/admin/encryption-certificate" ->
                    st.setEncryptionCertificate(CertificateIssuer.parseCertificate(field(body, "pem").asText()));
            case "/admin/reset" -> device.reset();
            default -> throw new IllegalStateException("route table and switch disagree on " + path);
        }
    }

    /** The device's current state as the admin endpoint reports it. */
    public ObjectNode stateJson() {
        ObjectNode s = Wire.JSON.createObjectNode();
        DeviceState st = device.state();
        s.put("kind", device.profile().kind().name());
        s.put("port", device.port());
        s.put("callbackId", device.callbackId());
        s.put("deviceId", device.profile().kind().deviceId());
        s.put("serialNo", device.profile().serialNo());
        s.put("status", st.status().wire());
        s.put("fault", st.fault().name());
        s.put("quality", st.quality());
        s.put("biometricPresented", st.biometricPresented());
        X509Certificate cert = device.credentials().current().certificate();
        s.put("deviceCertificateSerial", cert.getSerialNumber().toString(16));
        try {
            s.put("deviceCertificateSha256", Wire.upperHex(Wire.sha256(cert.getEncoded())));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        s.put("encryptionCertificateConfigured", st.encryptionCertificate() != null);
        return s;
    }

    private static JsonNode field(byte[] body, String name) {
        JsonNode root;
        try {
            root = Wire.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("admin body must be JSON like {\"" + name + "\": ...}");
        }
        JsonNode v = root == null ? null : root.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("admin body must carry \"" + name + "\"");
        }
        return v;
    }

    private static String problem(String message) {
        ObjectNode p = Wire.JSON.createObjectNode();
        p.put("error", message);
        return p.toString();
    }
}
