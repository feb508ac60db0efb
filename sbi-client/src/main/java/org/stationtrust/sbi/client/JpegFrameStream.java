package org.stationtrust.sbi.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import okhttp3.Response;
import org.stationtrust.logging.Redaction;

/**
 * A live STREAM of JPEG preview frames: the parts {@link StreamPartReader} reads, each refused unless it starts
 * as a JPEG image does (FF D8). Read with {@link #nextFrame()} until it is empty (the device
 * ended the stream, usually when the matching RCAPTURE completed); always close it. Not thread-safe.
 */
public final class JpegFrameStream implements Closeable {
    private final StreamPartReader reader;
    private final Response response;
    private int frames;
    private boolean closed;

    /** Made by the library's transport when a device answers a STREAM request; callers get one from {@link SbiClient#stream}. */
    public JpegFrameStream(StreamPartReader reader, Response response) {
        this.reader = reader;
        this.response = response;
    }

    /** The next JPEG frame (its bytes start with FF D8), or empty at the end of the stream. */
    public Optional<byte[]> nextFrame() throws DeviceAnswerRejected {
        if (closed) {
            return Optional.empty();
        }
        try {
            Optional<byte[]> frame = reader.next();
            if (frame.isPresent()) {
                byte[] f = frame.get();
                if (f.length < 2 || (f[0] & 0xff) != 0xFF || (f[1] & 0xff) != 0xD8) {
                    throw new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "STREAM: part " + (frames + 1)
                            + " is not a JPEG image (no FF D8 start marker)");
                }
                frames++;
            }
            return frame;
        } catch (InterruptedIOException e) {
            throw new DeviceAnswerRejected(RejectionReason.TIMEOUT, "the STREAM reached its deadline after "
                    + frames + " frames");
        } catch (IOException e) {
            if (closed) {
                return Optional.empty();
            }
            throw new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "the STREAM broke after " + frames
                    + " frames (" + Redaction.deviceText(e.getMessage()) + ")", e);
        }
    }

    /**
     * Present when the stream ended with bytes after its last complete frame that were not a part: a device
     * defect to report (the frames read are complete and usable).
     */
    public Optional<DeviceAnswerRejected> trailingBytes() {
        return reader.trailingBytes();
    }

    /** Frames read so far. */
    public int framesRead() {
        return frames;
    }

    @Override
    public void close() {
        closed = true;
        response.close();
    }
}
