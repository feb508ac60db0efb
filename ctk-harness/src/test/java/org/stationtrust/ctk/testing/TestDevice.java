package org.stationtrust.ctk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.stationtrust.ctk.Catalogue;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.ctk.internal.check.JudgingRules;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.device.DeviceProfile;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.internal.device.ExchangeTimes;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.HashChain;

/**
 * A fake slap device for check unit tests: its own CA and device certificate, RS256 signing with
 * x5c, and builders for observations of a well-formed left-slap registration capture that tests
 * then break in one place.
 */
public final class TestDevice {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Catalogue CATALOGUE = Catalogue.builtIn();
    private static final SecureRandom RANDOM = new SecureRandom();

    public final KeyPair caKeys;
    public final X509Certificate ca;
    public final KeyPair deviceKeys;
    public final X509Certificate deviceCert;

    private TestDevice(KeyPair caKeys, X509Certificate ca, KeyPair deviceKeys, X509Certificate deviceCert) {
        this.caKeys = caKeys;
        this.ca = ca;
        this.deviceKeys = deviceKeys;
        this.deviceCert = deviceCert;
    }

    public static TestDevice create() {
        Instant now = Instant.now();
        return create(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    /** A device whose certificate is valid from {@code notBefore} to {@code notAfter}. */
    public static TestDevice create(Instant notBefore, Instant notAfter) {
        try {
            KeyPair caKeys = rsa();
            X500Name caName = new X500Name("CN=Test Device Provider CA");
            JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(RANDOM.nextInt(1 << 30)),
                    Date.from(Instant.now().minus(Duration.ofDays(2))), Date.from(Instant.now().plus(Duration.ofDays(365))),
                    caName, caKeys.getPublic());
            cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                    cb.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
            return withCa(caKeys, ca, notBefore, notAfter);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another device key and certificate from the same CA (a key rotation). */
    public TestDevice rotated() {
        Instant now = Instant.now();
        return withCa(caKeys, ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
    }

    /**
     * A rotated device certificate issued by an intermediate CA under the vendor CA: the chain
     * [device, intermediate] as a device sends it in x5c.
     */
    public List<X509Certificate> rotatedUnderIntermediate() {
        try {
            Instant now = Instant.now();
            KeyPair interKeys = rsa();
            X500Name interName = new X500Name("CN=Test Device Provider Intermediate");
            JcaX509v3CertificateBuilder ib = new JcaX509v3CertificateBuilder(new X500Name("CN=Test Device Provider CA"),
                    BigInteger.valueOf(RANDOM.nextInt(1 << 30)), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(60))), interName, interKeys.getPublic());
            ib.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            X509Certificate inter = new JcaX509CertificateConverter().getCertificate(
                    ib.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
            KeyPair dev = rsa();
            JcaX509v3CertificateBuilder db = new JcaX509v3CertificateBuilder(interName,
                    BigInteger.valueOf(RANDOM.nextInt(1 << 30)), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=SLAP-0001"), dev.getPublic());
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                    db.build(new JcaContentSignerBuilder("SHA256withRSA").build(interKeys.getPrivate())));
            return List.of(leaf, inter);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestDevice withCa(KeyPair caKeys, X509Certificate ca, Instant notBefore, Instant notAfter) {
        try {
            KeyPair dev = rsa();
            JcaX509v3CertificateBuilder db = new JcaX509v3CertificateBuilder(new X500Name("CN=Test Device Provider CA"),
                    BigInteger.valueOf(RANDOM.nextInt(1 << 30)), Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=SLAP-0001"), dev.getPublic());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    db.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
            return new TestDevice(caKeys, ca, dev, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** RS256 compact JWS with this device's certificate in x5c. */
    public String sign(JsonNode payload) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .x509CertChain(List.of(Base64.encode(deviceCert.getEncoded()))).build();
            JWSObject jws = new JWSObject(header, new Payload(JSON.writeValueAsString(payload)));
            jws.sign(new RSASSASigner(deviceKeys.getPrivate()));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs the header and payload JSON given verbatim (RS256 with the device key), so a test can send
     * what a JOSE library would never write: repeated keys, a crit header, base64 padding.
     */
    public String signVerbatim(String headerTemplate, String payloadJson, boolean padded) {
        try {
            String header = headerTemplate.replace("X5C", java.util.Base64.getEncoder().encodeToString(deviceCert.getEncoded()));
            java.util.Base64.Encoder enc = padded ? java.util.Base64.getUrlEncoder() : java.util.Base64.getUrlEncoder().withoutPadding();
            String input = enc.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + enc.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
            java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
            rsa.initSign(deviceKeys.getPrivate());
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + enc.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed MOSIPDINFO entry of this device (deviceId 1, deviceCode CODE-1, digitalId of {@code serial}). */
    public Observation.InfoEntry info(String serial) {
        ObjectNode p = JSON.createObjectNode();
        p.put("deviceStatus", "Ready");
        p.put("deviceId", "1");
        p.put("deviceCode", "CODE-1");
        p.put("certification", "L0");
        p.put("digitalId", sign(digitalId(serial)));
        String jws = sign(p);
        ObjectNode element = JSON.createObjectNode();
        element.put("deviceInfo", jws);
        element.putObject("error").put("errorCode", "0").put("errorInfo", "Success");
        return new Observation.InfoEntry(element, jws, p, "0");
    }

    public DeviceTrustStore trustStore() {
        return DeviceTrustStore.of(List.of(ca));
    }

    public JudgingRules rules() {
        return new JudgingRules(trustStore(), Set.of("RS256"), Duration.ofMinutes(5), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Optional.empty(), Clock.systemUTC());
    }

    /** Rules of {@code profile} with its default skew (spec 300 s, mosip 180 s). */
    public JudgingRules rules(org.stationtrust.ctk.Profile profile) {
        return new JudgingRules(trustStore(), Set.of("RS256"), profile.defaultSkew(), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Optional.empty(), Clock.systemUTC(), profile);
    }

    public static ObjectNode digitalId(String serial) {
        ObjectNode id = JSON.createObjectNode();
        id.put("serialNo", serial);
        id.put("make", "TestMake");
        id.put("model", "SLAP-4");
        id.put("type", "Finger");
        id.put("deviceSubType", "Slap");
        id.put("deviceProvider", "Test Provider");
        id.put("deviceProviderId", "TP-1");
        id.put("dateTime", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return id;
    }

    public DeviceProfile profile() {
        return new DeviceProfile(4501, "1", List.of("1", "2", "3"), "Finger", "Slap", "Registration", "Ready",
                List.of("0.9.5"), digitalId("SLAP-0001"), "CODE-1", "L0", "1.0");
    }

    public static TestCase testCase(String id) {
        return CATALOGUE.byId(id);
    }

    /** The request body of a left-slap RCAPTURE. */
    public static ObjectNode request(String transactionId, String previousHash, List<String> subtypes, String count) {
        ObjectNode body = JSON.createObjectNode();
        body.put("env", "Staging");
        body.put("purpose", "Registration");
        body.put("specVersion", "0.9.5");
        body.put("timeout", "10000");
        body.put("transactionId", transactionId);
        ObjectNode bio = body.putArray("bio").addObject();
        bio.put("type", "Finger");
        bio.put("count", count);
        subtypes.forEach(bio.putArray("bioSubType")::add);
        bio.putArray("exception");
        bio.put("requestedScore", "40");
        bio.put("deviceId", "1");
        bio.put("deviceSubId", "1");
        bio.put("previousHash", previousHash);
        return body;
    }

    /** One element's signed payload; tests edit the returned node before calling {@link #element}. */
    public ObjectNode payload(String transactionId, String subtype, byte[] record, Instant timestamp) {
        ObjectNode p = JSON.createObjectNode();
        p.put("digitalId", sign(digitalId("SLAP-0001")));
        p.put("deviceCode", "CODE-1");
        p.put("deviceServiceVersion", "1.0");
        p.put("bioType", "Finger");
        p.put("bioSubType", subtype);
        p.put("purpose", "Registration");
        p.put("env", "Staging");
        p.put("bioValue", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(record));
        p.put("transactionId", transactionId);
        p.put("timestamp", timestamp.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        p.put("requestedScore", "40");
        p.put("qualityScore", "80");
        return p;
    }

    /**
     * A well-formed observation of REG-LEFT-SLAP: one request, four elements, hash chain from the
     * start, all signed by this device.
     */
    public Observation goodLeftSlap() {
        TestCase c = testCase("REG-LEFT-SLAP");
        Observation o = new Observation(c, profile());
        String txn = "CTK-test-0001";
        Instant now = Instant.now();
        List<String> subtypes = List.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger");
        ObjectNode req = request(txn, HashChain.START_HEX, subtypes, "4");
        Exchange e = new Exchange("RCAPTURE", "/capture", req.toString().getBytes(StandardCharsets.UTF_8), 200, null,
                new byte[0], false, 50_000_000L, null, new ExchangeTimes(now.minusMillis(50), now, now));
        o.record(e, Duration.ofSeconds(12));
        o.sent.add(new Observation.SentCapture(0, req, txn, HashChain.START_HEX, e));
        HashChain chain = HashChain.start();
        List<Observation.CaptureElement> els = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] record = Iso.fingerRecord(100 + i);
            chain = chain.next(record);
            ObjectNode payload = payload(txn, subtypes.get(i), record, now.minusMillis(10));
            els.add(element(0, i, payload, chain.hex(), record));
        }
        els.forEach(el -> add(o, el));
        ObjectNode answer = JSON.createObjectNode();
        els.forEach(el -> answer.withArray("biometrics").add(el.element()));
        o.answers.add(new Observation.Answer(Observation.Kind.CAPTURE, e, answer, null));
        return o;
    }

    public Observation.CaptureElement element(int request, int index, ObjectNode payload, String hash, byte[] record) {
        String data = sign(payload);
        ObjectNode el = JSON.createObjectNode();
        el.put("specVersion", "0.9.5");
        el.put("data", data);
        el.put("hash", hash);
        ObjectNode err = el.putObject("error");
        err.put("errorCode", "0");
        err.put("errorInfo", "Success");
        return new Observation.CaptureElement(request, index, el, "0.9.5", data, payload, hash, "0", "Success", record, null);
    }

    /** Adds an element with its signed parts and error code, as the runner does. */
    public static void add(Observation o, Observation.CaptureElement el) {
        o.elements.add(el);
        o.errorCodes.add(el.errorCode());
        o.signed.add(new Observation.SignedPart("biometrics[" + el.index() + "].data", el.data()));
        o.signed.add(new Observation.SignedPart("biometrics[" + el.index() + "].digitalId",
                el.payload().path("digitalId").asText()));
    }

    /** Replaces element {@code i} of {@code o} (re-signing its payload), keeping the rest. */
    public void replace(Observation o, int i, ObjectNode payload, String hash) {
        Observation.CaptureElement old = o.elements.get(i);
        Observation.CaptureElement el = element(old.request(), old.index(), payload, hash, old.bioValue());
        o.elements.set(i, el);
        o.signed.clear();
        o.elements.forEach(e -> {
            o.signed.add(new Observation.SignedPart("biometrics[" + e.index() + "].data", e.data()));
            o.signed.add(new Observation.SignedPart("biometrics[" + e.index() + "].digitalId",
                    e.payload().path("digitalId").asText()));
        });
    }

    public static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The instants of an exchange that ended now after {@code elapsedNanos}, answered (headers received) or not. */
    public static ExchangeTimes endedNow(long elapsedNanos, boolean answered) {
        Instant now = Instant.now();
        return new ExchangeTimes(now.minusNanos(elapsedNanos), answered ? now : null, now);
    }
}
