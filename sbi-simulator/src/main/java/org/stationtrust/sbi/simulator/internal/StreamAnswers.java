package org.stationtrust.sbi.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;

/**
 * STREAM (SBI 0.9.5 §Device Stream): {@code multipart/x-mixed-replace} of small JPEG frames, each part
 * with its own Content-Length. Ends when a capture on the same deviceSubId completes, at the
 * request's timeout, when the client goes away, or when the device closes.
 */
public final class StreamAnswers {
    public static final String BOUNDARY = "sbiframe";
    private static final JsonLog LOG = new JsonLog(StreamAnswers.class);
    private static final long DEFAULT_TIMEOUT_MS = 60_000;
    private static final int FRAME_WIDTH = 160;
    private static final int FRAME_HEIGHT = 120;

    private final DeviceKind kind;
    private final DeviceState state;
    private final long frameIntervalMillis;

    public StreamAnswers(DeviceKind kind, DeviceState state, long frameIntervalMillis) {
        this.kind = kind;
        this.state = state;
        this.frameIntervalMillis = frameIntervalMillis;
    }

    /** A parsed STREAM request. */
    private record StreamRequest(int deviceSubId, long timeoutMillis) {
    }

    public void stream(HttpExchange ex, byte[] body) throws IOException {
        if (state.fault() == FaultMode.NEVER_ANSWERS) {
            state.sleepUnlessClosed(Long.MAX_VALUE / 2);
            ex.close();
            return;
        }
        StreamRequest req;
        try {
            req = parse(body);
        } catch (DeviceError e) {
            sendError(ex, e);
            return;
        }
        frames(ex, req.deviceSubId(), req.timeoutMillis());
    }

    private StreamRequest parse(byte[] body) throws DeviceError {
        int subId;
        long timeoutMs;
        String deviceId;
        try {
            JsonNode req = Wire.JSON.readTree(body);
            if (req == null || !req.isObject()) {
                throw new DeviceError(DeviceError.MALFORMED_REQUEST, "STREAM body must be a JSON object");
            }
            deviceId = req.path("deviceId").asText("");
            subId = Integer.parseInt(req.path("deviceSubId").asText("-1"));
            timeoutMs = req.hasNonNull("timeout") ? Long.parseLong(req.get("timeout").asText()) : DEFAULT_TIMEOUT_MS;
        } catch (IOException | NumberFormatException e) {
            throw new DeviceError(DeviceError.MALFORMED_REQUEST,
                    "STREAM body must be {\"deviceId\", \"deviceSubId\", \"timeout\"} with numeric strings");
        }
        if (!kind.deviceId().equals(deviceId) || !kind.deviceSubIds().contains(subId)) {
            throw new DeviceError(DeviceError.NO_STREAM_DEVICE, "No device with deviceId " + deviceId
                    + " and deviceSubId " + subId + " to stream from");
        }
        if (timeoutMs < 1 || timeoutMs > 600_000) {
            throw new DeviceError(DeviceError.MALFORMED_REQUEST, "timeout must be 1-600000 ms, was " + timeoutMs);
        }
        if (state.status() == DeviceStatus.NOT_REGISTERED) {
            throw new DeviceError(DeviceError.NOT_REGISTERED, "Device not registered");
        }
        if (state.status() == DeviceStatus.NOT_READY) {
            throw new DeviceError(DeviceError.NOT_READY, "Device not ready");
        }
        return new StreamRequest(subId, timeoutMs);
    }

    private void frames(HttpExchange ex, int subId, long timeoutMs) throws IOException {
        long capturesAtStart = state.completedCaptures(subId);
        long startNanos = System.nanoTime();
        long deadline = startNanos + timeoutMs * 1_000_000L;
        ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        long frame = 0;
        String end = "timeout";
        try (OutputStream out = ex.getResponseBody()) {
            while (true) {
                if (state.completedCaptures(subId) != capturesAtStart) {
                    end = "capture-completed";
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                byte[] jpeg = SyntheticImages.jpeg(SyntheticImages.streamFrame(frame++, FRAME_WIDTH, FRAME_HEIGHT), 0.6f);
                String head = "--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // Fixed rate: the next frame is due at start + n * interval, however long this one took.
                long dueNanos = startNanos + frame * frameIntervalMillis * 1_000_000L;
                if (state.sleepUnlessClosed(Math.max(0, (dueNanos - System.nanoTime()) / 1_000_000L))) {
                    end = "device-closed";
                    break;
                }
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            if (state.fault() == FaultMode.TRAILING_BYTES_AFTER_STREAM) {
                // What some deployed services leave behind: a stray part after the closing boundary.
                out.write("Content-Type: image/jpeg\r\nContent-Length: 16\r\n\r\n0123456789ABCDEF\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            end = "client-gone";
        }
        LOG.info("stream.ended", "verb", "STREAM", "deviceSubId", subId, "frames", frame, "end", end);
    }

    private static void sendError(HttpExchange ex, DeviceError e) throws IOException {
        ObjectNode answer = Wire.JSON.createObjectNode();
        DeviceAnswers.error(answer, e.code(), e.info());
        Transport.sendPlain(ex, 200, "application/json", answer.toString());
    }
}
