package org.stationtrust.agent.internal.service;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.JpegFrameStream;

/** Relays a device preview as {@code multipart/x-mixed-replace} with a Content-Length per part (docs/sbi-protocol.md, STREAM). */
final class FrameRelay {
    private FrameRelay() {
    }

    static int relay(JpegFrameStream frames, OutputStream out, String boundary) throws DeviceAnswerRejected, IOException {
        int count = 0;
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
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return count;
    }
}
