package org.stationtrust.ctk.internal.run;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.device.DeviceChannel;
import org.stationtrust.ctk.internal.device.Exchange;

/**
 * The robustness suite's hostile requests. Each records its exchange and concludes "refused: ..."
 * when the device answered with an error (HTTP 4xx/5xx, a non-zero error code, or a prompt close),
 * otherwise says what went wrong.
 */
final class Probes {
    private Probes() {
    }

    static void run(String probe, Observation o, DeviceChannel channel, byte[] validCapture, Duration limit,
                    AnswerReader reader) throws InterruptedException {
        switch (probe) {
            case "malformed-json" -> judge(o, reader, channel.send("RCAPTURE", "/capture",
                    Arrays.copyOf(validCapture, validCapture.length / 2), limit), limit);
            case "empty-body" -> judge(o, reader, channel.send("RCAPTURE", "/capture", new byte[0], limit), limit);
            case "wrong-shape" -> judge(o, reader, channel.send("RCAPTURE", "/capture",
                    "[{\"bio\":\"Finger\"},\"env\",42]".getBytes(StandardCharsets.UTF_8), limit), limit);
            case "not-utf8" -> judge(o, reader, channel.send("RCAPTURE", "/capture",
                    new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', ':', '1', '}'}, limit), limit);
            case "deep-nesting" -> judge(o, reader, channel.send("RCAPTURE", "/capture",
                    ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII), limit), limit);
            case "oversized" -> {
                byte[] big = new byte[4 * 1024 * 1024];
                Arrays.fill(big, (byte) ' ');
                big[0] = '{';
                big[big.length - 1] = '}';
                judge(o, reader, channel.send("RCAPTURE", "/capture", big, limit), limit);
            }
            case "unknown-verb" -> judge(o, reader, channel.send("MOSIPFOO", "/device", new byte[0], limit), limit);
            case "wrong-path" -> judge(o, reader, channel.send("RCAPTURE", "/info", validCapture, limit), limit);
            case "unknown-device" -> {
                String body = new String(validCapture, StandardCharsets.UTF_8)
                        .replaceFirst("\"deviceId\":\"[^\"]*\"", "\"deviceId\":\"no-such-device-ctk\"");
                judge(o, reader, channel.send("RCAPTURE", "/capture", body.getBytes(StandardCharsets.UTF_8), limit), limit);
            }
            case "concurrent-capture" -> concurrent(o, channel, validCapture, limit, reader);
            case "slow-client" -> {
                o.record(channel.abandonHalfway("RCAPTURE", "/capture", validCapture, Duration.ofMillis(300)), null);
                o.probeOutcome = "refused: the half-sent request was abandoned; liveness decides";
            }
            default -> throw new IllegalArgumentException("unknown probe " + probe);
        }
    }

    private static void judge(Observation o, AnswerReader reader, Exchange e, Duration limit) {
        o.record(e, limit);
        if (!e.answered()) {
            o.probeOutcome = e.transportError() != null && e.transportError().contains("within")
                    ? "no answer within " + limit.toMillis() + " ms: the device hangs on this request"
                    : "refused: connection closed by the device (" + e.transportError() + ")";
            return;
        }
        if (e.status() >= 400) {
            o.probeOutcome = "refused: HTTP " + e.status();
            return;
        }
        var json = reader.json(o, Observation.Kind.CAPTURE, e);
        String code = json.map(j -> j.isArray() ? j.path(0) : j.path("biometrics").path(0))
                .map(el -> el.path("error").path("errorCode").asText("")).orElse("");
        if (!code.isEmpty() && !"0".equals(code)) {
            o.errorCodes.add(code);
            o.probeOutcome = "refused: error code " + code;
        } else if (json.isEmpty()) {
            o.probeOutcome = "HTTP " + e.status() + " with a body that is not JSON ("
                    + (e.truncated() ? "cut at the size limit: oversized body" : "malformed JSON")
                    + "): expected an error status or error element";
        } else {
            o.probeOutcome = "the device accepted the hostile request (HTTP " + e.status() + ", errorCode '" + code + "')";
        }
    }

    private static void concurrent(Observation o, DeviceChannel channel, byte[] capture, Duration limit,
                                   AnswerReader reader) throws InterruptedException {
        Exchange[] first = new Exchange[1];
        Thread t = new Thread(() -> first[0] = channel.send("RCAPTURE", "/capture", capture, limit), "ctk-concurrent");
        t.start();
        Thread.sleep(50);
        byte[] second = new String(capture, StandardCharsets.UTF_8)
                .replaceFirst("\"transactionId\":\"[^\"]*\"", "\"transactionId\":\"" + CaptureRequests.newTransactionId() + "\"")
                .getBytes(StandardCharsets.UTF_8);
        Exchange e2 = channel.send("RCAPTURE", "/capture", second, limit);
        t.join(limit.toMillis() + 1000);
        if (first[0] != null) {
            o.record(first[0], limit);
        }
        o.record(e2, limit);
        boolean bothAnswered = first[0] != null && first[0].answered() && e2.answered();
        o.probeOutcome = bothAnswered ? "refused: both captures answered (second served or told busy)"
                : "a concurrent capture hung: " + (e2.answered() ? first[0] : e2);
    }
}
