package org.stationtrust.sbi.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.stationtrust.sbi.client.testing.RawHttpServer.RawAnswer;
import org.stationtrust.sbi.client.testing.RawHttpServer.RawRequest;

/**
 * The client's own recorded-style SBI 0.9.5 finger slap (deviceId "1", subIds 1, 2, 3), written from
 * docs/sbi-protocol.md, that answers MOSIPDISC, MOSIPDINFO and RCAPTURE with valid signed answers. Tests bend
 * single fields through {@link #editPayload} / {@link #editAnswer}. Serve it with {@link #serve()}.
 */
public final class FixtureDevice implements RawHttpServer.Handler {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String DEVICE_ID = "1";
    public static final String SERIAL = "FIX-0001";

    public final TestPki pki;
    public volatile PrivateKey signingKey;
    public volatile X509Certificate signingCert;
    /** Who signs the digitalId; null = the device key ({@link #signingKey}), as an L0 device does. */
    public volatile PrivateKey digitalIdKey;
    public volatile X509Certificate digitalIdCert;
    public volatile String certification = "L0";
    public volatile String deviceCode = SERIAL;
    public volatile String env = "Staging";
    /** Bends the digitalId before it is signed (device info and captures). */
    public volatile Consumer<ObjectNode> editDigitalId = d -> { };
    public volatile boolean registered = true;
    public volatile String status = "Ready";
    public volatile Consumer<ObjectNode> editPayload = p -> { };
    public volatile Consumer<ObjectNode> editAnswer = a -> { };
    public volatile int port;

    public FixtureDevice(TestPki pki) {
        this.pki = pki;
        this.signingKey = pki.deviceKeys.getPrivate();
        this.signingCert = pki.device;
    }

    /** Starts a raw server answering as this device; its port is recorded. */
    public RawHttpServer serve() throws Exception {
        RawHttpServer server = new RawHttpServer(this);
        port = server.port();
        return server;
    }

    @Override
    public RawAnswer answer(RawRequest request) throws Exception {
        switch (request.verb()) {
            case "MOSIPDISC": return RawAnswer.json(200, discovery());
            case "MOSIPDINFO": return RawAnswer.json(200, info());
            case "RCAPTURE": return RawAnswer.json(200, capture(request.body()));
            default: return RawAnswer.json(405, "{}");
        }
    }

    public ObjectNode digitalIdJson(String serial) {
        ObjectNode d = JSON.createObjectNode();
        d.put("serialNo", serial);
        d.put("make", "Fixture");
        d.put("model", "FX-SLAP");
        d.put("type", "Finger");
        d.put("deviceSubType", "Slap");
        d.put("deviceProvider", "Fixture Provider");
        d.put("deviceProviderId", "fixture.provider");
        d.put("dateTime", Instant.now().toString());
        return d;
    }

    public String discovery() {
        ArrayNode arr = JSON.createArrayNode();
        ObjectNode d = arr.addObject();
        d.put("deviceId", DEVICE_ID);
        d.put("deviceStatus", status);
        d.put("certification", certification);
        d.put("serviceVersion", "1.0");
        d.putArray("deviceSubId").add("1").add("2").add("3");
        d.put("callbackId", "http://127.0.0.1:" + port + "/");
        d.put("digitalId", TestPki.b64url(digitalIdJson(SERIAL).toString().getBytes(StandardCharsets.UTF_8)));
        d.put("deviceCode", deviceCode);
        d.putArray("specVersion").add("0.9.5");
        d.put("purpose", "Registration");
        error(d, "0", "Success");
        return arr.toString();
    }

    public ObjectNode infoPayload() {
        ObjectNode p = JSON.createObjectNode();
        p.put("deviceStatus", registered ? status : "Not Registered");
        p.put("deviceId", DEVICE_ID);
        p.put("firmware", "1.0.0");
        p.put("certification", certification);
        p.put("serviceVersion", "1.0");
        p.putArray("deviceSubId").add("1").add("2").add("3");
        p.put("callbackId", "http://127.0.0.1:" + port + "/");
        p.put("digitalId", signDigitalId(digitalIdJson(SERIAL)));
        p.put("deviceCode", deviceCode);
        p.put("env", env);
        p.put("purpose", "Registration");
        p.putArray("specVersion").add("0.9.5");
        return p;
    }

    public String info() {
        ArrayNode arr = JSON.createArrayNode();
        ObjectNode e = arr.addObject();
        ObjectNode payload = infoPayload();
        if (registered) {
            e.put("deviceInfo", sign(payload));
            error(e, "0", "Success");
        } else {
            e.put("deviceInfo", TestPki.b64url(payload.toString().getBytes(StandardCharsets.UTF_8)));
            error(e, "100", "Device not registered");
        }
        return arr.toString();
    }

    public String sign(JsonNode payload) {
        return TestPki.signRs256(payload.toString(), signingKey, signingCert);
    }

    /** The digitalId JWS as this device sends it (device key, or {@link #digitalIdKey} when set). */
    public String signDigitalId(ObjectNode digitalId) {
        editDigitalId.accept(digitalId);
        PrivateKey key = digitalIdKey;
        return key == null ? sign(digitalId) : TestPki.signRs256(digitalId.toString(), key, digitalIdCert);
    }

    /** A valid RCAPTURE answer for the request (the sensor's subtypes minus exceptions, chained hashes). */
    public String capture(byte[] requestBody) throws Exception {
        JsonNode req = JSON.readTree(requestBody);
        JsonNode bio = req.get("bio").get(0);
        List<String> subTypes = new ArrayList<>(sensor(bio.get("deviceSubId").asText()));
        bio.get("exception").forEach(e -> subTypes.remove(e.asText()));
        byte[] previous = HexFormat.of().parseHex(bio.get("previousHash").asText().toLowerCase());
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode biometrics = answer.putArray("biometrics");
        for (String subType : subTypes) {
            byte[] iso = ("FIR\0fixture-record-" + subType + "-" + req.get("transactionId").asText())
                    .getBytes(StandardCharsets.UTF_8);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] isoHash = sha.digest(iso);
            sha.update(previous);
            sha.update(isoHash);
            byte[] hash = sha.digest();
            previous = hash;
            ObjectNode p = JSON.createObjectNode();
            p.put("digitalId", signDigitalId(digitalIdJson(SERIAL)));
            p.put("deviceCode", deviceCode);
            p.put("deviceServiceVersion", "1.0");
            p.put("bioType", "Finger");
            p.put("bioSubType", subType);
            p.put("purpose", "Registration");
            p.put("env", "Staging");
            p.put("bioValue", TestPki.b64url(iso));
            p.put("transactionId", req.get("transactionId").asText());
            p.put("timestamp", Instant.now().toString());
            p.put("requestedScore", bio.get("requestedScore").asText());
            p.put("qualityScore", "80");
            editPayload.accept(p);
            ObjectNode element = biometrics.addObject();
            element.put("specVersion", "0.9.5");
            element.put("data", sign(p));
            element.put("hash", HexFormat.of().withUpperCase().formatHex(hash));
            error(element, "0", "Success");
        }
        editAnswer.accept(answer);
        return answer.toString();
    }

    private static List<String> sensor(String subId) {
        switch (subId) {
            case "1": return List.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger");
            case "2": return List.of("Right IndexFinger", "Right MiddleFinger", "Right RingFinger", "Right LittleFinger");
            default: return List.of("Left Thumb", "Right Thumb");
        }
    }

    private static void error(ObjectNode node, String code, String info) {
        ObjectNode e = node.putObject("error");
        e.put("errorCode", code);
        e.put("errorInfo", info);
    }
}
