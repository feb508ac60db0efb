package org.stationtrust.agent.internal.service;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.JpegFrameStream;

/**
 * Relays a device preview as {@code multipart/x-mixed-replace} with a Content-Length per part (docs/sbi-protocol.md,
 * STREAM). Once a part is written the answer is a 200 multipart body, so a later device failure can no longer
 * become an error status: the body is ended with its final boundary (RFC 2046 §5.1.1) and the failure is
 * returned for the log.
 */
final class FrameRelay {
    private FrameRelay() {
    }

    /** How a relayed preview ended. */
    record Outcome(int frames, Optional<DeviceAnswerRejected> failure, Optional<DeviceAnswerRejected> trailingBytes) {
        /** complete, device_defect (trailing bytes after complete frames) or device_failed (the stream broke). */
        String kind() {
            return failure.isPresent() ? "device_failed" : trailingBytes.isPresent() ? "device_defect" : "complete";
        }
    }

    /**
     * Writes every frame, then the final boundary. Throws the device's rejection only when it came before the
     * first frame, while the caller can still answer with an error status.
     */
    static Outcome relay(JpegFrameStream frames, OutputStream out, String boundary) throws DeviceAnswerRejected, IOException {
        int count = 0;
        Optional<DeviceAnswerRejected> failure = Optional.empty();
        try {
            Optional<byte[]> frame;
            while ((frame = frames.nextFrame()).isPresent()) {
                byte[] jpeg = frame.get();
                out.write(("--" + boundary + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                count++;
            }
        } catch (DeviceAnswerRejected e) {
            if (count == 0) {
                throw e;
            }
            failure = Optional.of(e);
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new Outcome(count, failure, frames.trailingBytes());
    }
}
