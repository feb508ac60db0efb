package org.stationtrust.ctk.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.stationtrust.ctk.Operator;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.ctk.internal.check.Certificates;
import org.stationtrust.ctk.internal.check.AnswerFields;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.device.DeviceChannel;
import org.stationtrust.ctk.internal.device.DeviceProfile;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.internal.device.ExchangeTimer;
import org.stationtrust.ctk.internal.device.PreviewStream;
import org.stationtrust.sbi.client.HashChain;

/** Runs one case against the device and collects what it saw into an {@link Observation}. */
public final class CaseExecution {
    private final DeviceChannel channel;
    private final DeviceProfile device;
    private final AnswerReader reader;
    private final CaptureRequests requests;
    private final Operator operator;
    private final Duration grace;
    private final Duration responseLimit;
    private final Duration readyWait;
    /** The last hash of the registration so far: captures chain across cases as at a real station. */
    private String registrationHash = HashChain.START_HEX;

    public CaseExecution(DeviceChannel channel, DeviceProfile device, org.stationtrust.ctk.HarnessKey key,
                         String env, Operator operator, Duration grace, Duration responseLimit, Duration readyWait) {
        this.readyWait = readyWait;
        this.channel = channel;
        this.device = device;
        this.reader = new AnswerReader(key);
        this.requests = new CaptureRequests(env);
        this.operator = operator;
        this.grace = grace;
        this.responseLimit = responseLimit;
    }

    public Observation run(TestCase c) throws InterruptedException {
        Observation o = new Observation(c, device);
        if (!"device-status".equals(c.category())) {
            awaitReady(o);
        }
        switch (c.category()) {
            case "discovery" -> discovery(c, o);
            case "device-info", "device-status" -> info(o, !"Not Registered".equals(c.expect().deviceStatus()));
            case "key-rotation" -> keyRotation(c, o);
            case "stream" -> stream(c, o);
            case "stream-with-capture" -> streamWithCapture(c, o);
            case "robustness" -> robustness(c, o);
            default -> captures(c, o);
        }
        return o;
    }

    /**
     * Waits (bounded by readyWait) while the device says Busy, e.g. still finishing a stream or capture
     * a previous case abandoned, so that a case does not inherit that state; if it is still not Ready the
     * case runs anyway and its verdict names the status the device was in.
     */
    private void awaitReady(Observation o) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + readyWait.toNanos();
        String status = "unknown";
        while (true) {
            Exchange e = channel.send("MOSIPDINFO", "/info", new byte[0], responseLimit);
            status = statusIn(e);
            if ("Ready".equals(status) || !"Busy".equals(status) || System.nanoTime() - deadline >= 0) {
                break;
            }
            Thread.sleep(100);
        }
        o.readyWaitNanos = System.nanoTime() - start;
        if (!"Ready".equals(status)) {
            o.statusBefore = status;
            o.notes.add("device was " + status + " before the case (waited up to " + readyWait.toMillis() + " ms for Ready)");
        }
    }

    private String statusIn(Exchange e) {
        if (!e.answered() || e.status() != 200) {
            return e.answered() ? "answering HTTP " + e.status() : "not answering (" + e.transportError() + ")";
        }
        JsonNode list = AnswerFields.json(e.responseBody()).orElse(null);
        if (list == null || !list.isArray()) {
            return "answering something that is not a device info list";
        }
        for (JsonNode entry : list) {
            JsonNode payload = AnswerFields.digitalId(entry.path("deviceInfo").asText(null)).orElse(null);
            if (payload != null && (list.size() == 1 || device.deviceId().equals(payload.path("deviceId").asText()))) {
                return payload.path("deviceStatus").asText("without a deviceStatus");
            }
        }
        return "not listing the device in its info";
    }

    private void discovery(TestCase c, Observation o) {
        String type = c.request().discoveryType();
        // "upper": the device's own type upper-cased (MOSIP SBI1196): an invalid type, case matters.
        String asked = type == null || "own".equals(type) ? device.type()
                : "upper".equals(type) ? device.type().toUpperCase(java.util.Locale.ROOT) : type;
        byte[] body = ("{\"type\":\"" + asked + "\"}").getBytes(StandardCharsets.UTF_8);
        reader.discovery(o, o.record(channel.send("MOSIPDISC", "/device", body, responseLimit), responseLimit));
    }

    private Exchange info(Observation o, boolean signed) {
        Exchange e = o.record(channel.send("MOSIPDINFO", "/info", new byte[0], responseLimit), responseLimit);
        reader.info(o, e, signed);
        return e;
    }

    private void keyRotation(TestCase c, Observation o) {
        info(o, true);
        o.certificateBefore = signerOf(o);
        if (!operator.midway(c, c.humanSteps().isEmpty() ? "rotate the device key" : c.humanSteps().get(0), 1)) {
            o.notes.add("operator did not rotate the key");
            return;
        }
        int before = o.infos.size();
        info(o, true);
        o.certificateAfter = o.infos.size() > before ? certificateOf(o.infos.get(o.infos.size() - 1).deviceInfo()) : null;
        if (o.certificateAfter != null) {
            o.chainAfter = chainOf(o.infos.get(o.infos.size() - 1).deviceInfo());
        }
    }

    private X509Certificate signerOf(Observation o) {
        return o.infos.isEmpty() ? null : certificateOf(o.infos.get(o.infos.size() - 1).deviceInfo());
    }

    private static java.util.List<X509Certificate> chainOf(String jws) {
        try {
            var header = Certificates.header(jws);
            return header.isPresent() ? Certificates.chain(header.get()) : java.util.List.of();
        } catch (CertificateException e) {
            return java.util.List.of();
        }
    }

    private static X509Certificate certificateOf(String jws) {
        try {
            var header = Certificates.header(jws);
            return header.isPresent() ? Certificates.chain(header.get()).get(0) : null;
        } catch (CertificateException e) {
            return null;
        }
    }

    private void captures(TestCase c, Observation o) throws InterruptedException {
        int rounds = c.request().repeat() == null ? 1 : c.request().repeat();
        int captures = c.request().capturesOrOne();
        boolean reuse = Boolean.TRUE.equals(c.request().reuseTransactionId());
        String reused = null;
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1 && !operator.midway(c, "next person of the cohort", round)) {
                o.notes.add("operator stopped after " + (round - 1) + " people");
                break;
            }
            for (int i = 0; i < captures; i++) {
                String txn = c.request().transactionId() != null ? c.request().transactionId()
                        : reused != null ? reused : CaptureRequests.newTransactionId();
                if (reuse && reused == null) {
                    reused = txn;
                    // The first capture only consumes the transaction id; the second is judged. Its
                    // exchange is kept (shown and timed) but its answer is not judged.
                    Observation setup = new Observation(c, device);
                    sendCapture(c, setup, txn, true);
                    setup.timed.forEach(t -> o.record(t.exchange(), t.limit()));
                    i--;
                    continue;
                }
                sendCapture(c, o, txn, false);
            }
        }
    }

    private void sendCapture(TestCase c, Observation o, String txn, boolean setupOnly) {
        ObjectNode body = requests.build(c, device, txn, registrationHash);
        String verb = c.methods().contains("CAPTURE") ? "CAPTURE" : "RCAPTURE";
        Duration limit = Duration.ofMillis(c.request().timeoutOr(CaptureRequests.DEFAULT_TIMEOUT_MS)).plus(grace);
        Exchange e = o.record(channel.send(verb, "/capture", json(body), limit), limit);
        int index = o.sent.size();
        o.sent.add(new Observation.SentCapture(index, body, txn, registrationHash, e));
        reader.capture(o, index, e, "CAPTURE".equals(verb));
        for (Observation.CaptureElement el : o.elements) {
            if (el.request() == index && el.success() && el.hash() != null && el.hash().matches("[0-9A-Fa-f]{64}")) {
                registrationHash = el.hash();
            }
        }
        if (setupOnly) {
            o.notes.add("setup capture " + txn);
        }
    }

    private void stream(TestCase c, Observation o) throws InterruptedException {
        if (c.methods().contains("RCAPTURE")) {
            streamWithCapture(c, o);
            return;
        }
        String sid = CaptureRequests.deviceSubId(c, device);
        String deviceId = c.request().deviceId() == null ? device.deviceId() : c.request().deviceId();
        Duration wait = Duration.ofMillis(c.request().timeoutOr(5000));
        byte[] body = ("{\"deviceId\":\"" + deviceId + "\",\"deviceSubId\":\"" + sid + "\",\"timeout\":\""
                + wait.toMillis() + "\"}").getBytes(StandardCharsets.UTF_8);
        ExchangeTimer timer = channel.startTimer();
        try (PreviewStream s = PreviewStream.open(channel, body, wait)) {
            timer.headersReceived();
            if (!s.isMultipart() || c.request().deviceId() != null) {
                byte[] err = s.isMultipart() ? new byte[0] : s.errorBody(64 * 1024);
                Exchange e = new Exchange("STREAM", "/stream", body, s.status(), null, err, false,
                        timer.elapsedNanos(), null, timer.end());
                o.record(e, wait.plus(grace));
                if (s.isMultipart()) {
                    s.awaitFrames(1, Duration.ofSeconds(1));
                    o.notes.add("stream for an unknown device answered 200 with " + s.frames() + " frames");
                } else {
                    reader.json(o, Observation.Kind.CAPTURE, e).ifPresent(j -> collectErrors(o, j));
                }
                o.stream = new Observation.StreamRecord(s.status(), s.contentType(), 0, 0, 0, false, "HTTP " + s.status());
                return;
            }
            int want = c.request().frames() == null ? 6 : c.request().frames();
            s.awaitFrames(want, wait);
            o.streamTrailingBytes = s.trailingBytes();
            o.stream = new Observation.StreamRecord(s.status(), s.contentType(), s.frames(), s.validJpegFrames(),
                    s.framesPerSecond(), false, s.problem());
            o.record(new Exchange("STREAM", "/stream", body, s.status(), null, null, false,
                    timer.elapsedNanos(), null, timer.end()), null);
        } catch (IOException e) {
            o.record(new Exchange("STREAM", "/stream", body, -1, null, null, false, timer.elapsedNanos(),
                    e.getMessage(), timer.end()), wait.plus(grace));
            o.stream = new Observation.StreamRecord(-1, null, 0, 0, 0, false, e.getMessage());
        }
    }

    private static void collectErrors(Observation o, JsonNode j) {
        JsonNode first = j.isArray() ? j.path(0) : j.has("biometrics") ? j.path("biometrics").path(0) : j;
        String code = first.path("error").path("errorCode").asText(first.path("errorCode").asText(""));
        if (!code.isEmpty()) {
            o.errorCodes.add(code);
        }
    }

    private void streamWithCapture(TestCase c, Observation o) throws InterruptedException {
        String sid = CaptureRequests.deviceSubId(c, device);
        Duration wait = Duration.ofMillis(c.request().timeoutOr(CaptureRequests.DEFAULT_TIMEOUT_MS));
        byte[] body = ("{\"deviceId\":\"" + device.deviceId() + "\",\"deviceSubId\":\"" + sid + "\",\"timeout\":\""
                + wait.toMillis() + "\"}").getBytes(StandardCharsets.UTF_8);
        ExchangeTimer timer = channel.startTimer();
        try (PreviewStream s = PreviewStream.open(channel, body, wait.plus(grace))) {
            timer.headersReceived();
            if (!s.isMultipart()) {
                Exchange e = new Exchange("STREAM", "/stream", body, s.status(), null, s.errorBody(64 * 1024), false,
                        timer.elapsedNanos(), null, timer.end());
                o.record(e, wait.plus(grace));
                reader.json(o, Observation.Kind.CAPTURE, e).ifPresent(j -> collectErrors(o, j));
                o.stream = new Observation.StreamRecord(s.status(), s.contentType(), 0, 0, 0, false, null);
                return;
            }
            s.awaitFrames(4, Duration.ofSeconds(3));
            sendCapture(c, o, CaptureRequests.newTransactionId(), false);
            boolean ended = s.status() == 200 && s.awaitEnd(grace.plus(Duration.ofSeconds(1)));
            o.streamTrailingBytes = s.trailingBytes();
            o.stream = new Observation.StreamRecord(s.status(), s.contentType(), s.frames(), s.validJpegFrames(),
                    s.framesPerSecond(), ended, s.problem());
            o.record(new Exchange("STREAM", "/stream", body, s.status(), null, null, false,
                    timer.elapsedNanos(), null, timer.end()), null);
        } catch (IOException e) {
            o.stream = new Observation.StreamRecord(-1, null, 0, 0, 0, false, e.getMessage());
            o.record(new Exchange("STREAM", "/stream", body, -1, null, null, false, timer.elapsedNanos(),
                    e.getMessage(), timer.end()), wait);
        }
    }

    private void robustness(TestCase c, Observation o) throws InterruptedException {
        Duration limit = Duration.ofMillis(c.request().timeoutOr(5000)).plus(grace);
        byte[] valid = json(requests.build(c, device, CaptureRequests.newTransactionId(), registrationHash));
        Probes.run(c.request().probe(), o, channel, valid, limit, reader);
        Exchange alive = channel.send("MOSIPDINFO", "/info", new byte[0], responseLimit);
        o.record(alive, responseLimit);
        o.aliveAfterwards = alive.answered() && alive.status() == 200 && !alive.truncated()
                && AnswerFields.json(alive.responseBody()).map(JsonNode::isArray).orElse(false);
        if (!o.aliveAfterwards) {
            o.livenessProblem = !alive.answered() ? "no answer (" + alive.transportError() + ")"
                    : alive.truncated() ? "the answer exceeds the size limit (oversized body)"
                    : alive.status() != 200 ? "HTTP " + alive.status()
                    : "the answer is not a JSON array (malformed JSON)";
        }
    }

    private static byte[] json(ObjectNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
