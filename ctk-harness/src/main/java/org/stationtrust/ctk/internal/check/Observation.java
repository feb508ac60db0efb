package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.ctk.internal.device.DeviceProfile;
import org.stationtrust.ctk.internal.device.Exchange;

/**
 * Everything one case saw: the raw exchanges and what was parsed out of them. The runner fills it
 * in while the case runs; checks only read it.
 */
public final class Observation {

    /** Which SBI answer a parsed JSON document is. */
    public enum Kind { DISCOVERY, INFO, CAPTURE }

    /** A JSON answer, or why it could not be parsed. */
    public record Answer(Kind kind, Exchange exchange, JsonNode json, String parseProblem) {
    }

    /** A compact JWS found in an answer; {@code what} names it in messages ("deviceInfo", "biometrics[1].data"). */
    public record SignedPart(String what, String compact) {
    }

    /** One element of a MOSIPDINFO answer; payload is decoded without verification (checks verify). */
    public record InfoEntry(JsonNode element, String deviceInfo, JsonNode payload, String errorCode) {
    }

    /** A capture request as sent, with its exchange (which dates when it left and when its answer arrived). */
    public record SentCapture(int index, ObjectNode body, String transactionId, String previousHash,
                              Exchange exchange) {
    }

    /**
     * One element of a capture answer. {@code bioValue} holds the biometric record bytes (decoded, and
     * decrypted for auth captures) when that worked; {@code bioValueProblem} says why not otherwise.
     */
    public record CaptureElement(int request, int index, JsonNode element, String specVersion, String data,
                                 JsonNode payload, String hash, String errorCode, String errorInfo,
                                 byte[] bioValue, String bioValueProblem) {
        public boolean success() {
            return errorCode == null || "0".equals(errorCode);
        }
    }

    /** An exchange and the longest the device may take to answer it (null: not timed, e.g. abandoned probes). */
    public record Timed(Exchange exchange, java.time.Duration limit, long endNanos) {
    }

    /** What reading a STREAM produced. */
    public record StreamRecord(int status, String contentType, int frames, int validJpegFrames,
                               double framesPerSecond, boolean endedAfterCapture, String problem) {
    }

    private final TestCase testCase;
    private final DeviceProfile device;
    public final List<Exchange> exchanges = new ArrayList<>();
    public final List<Timed> timed = new ArrayList<>();
    public final List<Answer> answers = new ArrayList<>();
    public final List<JsonNode> discovered = new ArrayList<>();
    public final List<InfoEntry> infos = new ArrayList<>();
    public final List<SignedPart> signed = new ArrayList<>();
    public final List<SentCapture> sent = new ArrayList<>();
    public final List<CaptureElement> elements = new ArrayList<>();
    /** Error codes of answer-level errors (discovery/info elements, capture elements, stream errors). */
    public final List<String> errorCodes = new ArrayList<>();
    /** Problems the runner met while executing (not judgements): shown in the report. */
    public final List<String> notes = new ArrayList<>();
    public StreamRecord stream;
    public Boolean aliveAfterwards;
    /** Why the liveness probe's answer was not a proper info answer. */
    public String livenessProblem;
    public X509Certificate certificateBefore;
    public X509Certificate certificateAfter;
    /** The x5c chain after the rotation, leaf first (intermediates included). */
    public List<X509Certificate> chainAfter = List.of();
    /** The device status when the case began, when it was not Ready after the bounded wait (else null). */
    public String statusBefore;
    /** Time spent waiting for Ready before the case (device time, not judged). */
    public long readyWaitNanos;
    /** Stray bytes read after a stream's final boundary (tolerated, reported). */
    public int streamTrailingBytes;
    /** Whether a robustness probe got an error answer (status/code) rather than silence. */
    public String probeOutcome;

    public Observation(TestCase testCase, DeviceProfile device) {
        this.testCase = Objects.requireNonNull(testCase, "testCase");
        this.device = device;
    }

    /** Records an exchange with its time limit. */
    public Exchange record(Exchange exchange, java.time.Duration limit) {
        exchanges.add(exchange);
        timed.add(new Timed(exchange, limit, System.nanoTime()));
        return exchange;
    }

    /**
     * Nanoseconds spent waiting on the device: the union of the exchanges' intervals, so that a
     * capture made while a stream is open is not counted twice.
     */
    public long deviceNanos() {
        long total = 0;
        long coveredUntil = Long.MIN_VALUE;
        List<long[]> spans = new ArrayList<>();
        for (Timed t : timed) {
            spans.add(new long[] {t.endNanos() - t.exchange().elapsedNanos(), t.endNanos()});
        }
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        total += readyWaitNanos;
        for (long[] s : spans) {
            long from = Math.max(s[0], coveredUntil);
            if (s[1] > from) {
                total += s[1] - from;
                coveredUntil = s[1];
            }
        }
        return total;
    }

    public TestCase testCase() {
        return testCase;
    }

    public DeviceProfile device() {
        return device;
    }

    public List<Answer> answers(Kind kind) {
        return answers.stream().filter(a -> a.kind() == kind).toList();
    }

    public List<CaptureElement> successfulElements() {
        return elements.stream().filter(CaptureElement::success).toList();
    }
}
