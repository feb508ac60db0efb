package org.stationtrust.ctk.internal.device;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.StreamPartReader;

/**
 * Reads a STREAM answer in the background with the station's own part reader (sbi-client's
 * {@link StreamPartReader}: parts by Content-Length, or to the boundary line the Content-Type names), so a
 * stream the harness passes is one a station reads. Unlike the station, which refuses a stream at its first
 * part that is not a JPEG, the harness counts every part and how many are complete JPEG images, and keeps
 * the reader's refusal as the stream's {@link #problem()}.
 */
public final class PreviewStream implements AutoCloseable {
    private static final int MAX_FRAME = 8 * 1024 * 1024;

    private final DeviceChannel.OpenAnswer answer;
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicInteger validJpeg = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final long openedNanos;
    private volatile long firstFrameNanos;
    private volatile long lastFrameNanos;
    private volatile String problem;
    private volatile int trailingBytes;
    private final Thread reader;

    private PreviewStream(DeviceChannel.OpenAnswer answer) {
        this.answer = answer;
        this.openedNanos = System.nanoTime();
        this.reader = new Thread(this::readLoop, "ctk-stream-reader");
        this.reader.setDaemon(true);
    }

    /** Opens the stream and, when the device answered 200, starts reading frames. */
    public static PreviewStream open(DeviceChannel channel, byte[] body, Duration readTimeout) throws IOException {
        PreviewStream s = new PreviewStream(channel.open("STREAM", "/stream", body, readTimeout));
        if (s.isMultipart()) {
            s.reader.start();
        } else {
            s.ended.countDown();
        }
        return s;
    }

    /** True when the device answered 200 with a multipart body (frames follow). */
    public boolean isMultipart() {
        String type = contentType();
        return answer.status() == 200 && type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    public int status() {
        return answer.status();
    }

    public String contentType() {
        return answer.headers().get("content-type");
    }

    /** The body of a non-200 answer, read with a bound (for the error check). */
    public byte[] errorBody(int max) throws IOException {
        return answer.body().readNBytes(max);
    }

    /** Waits until {@code count} frames arrived, the stream ended, or the wait is over. */
    public void awaitFrames(int count, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (frames.get() < count && ended.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** True when the device ended the stream within {@code wait}. */
    public boolean awaitEnd(Duration wait) throws InterruptedException {
        return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int frames() {
        return frames.get();
    }

    public int validJpegFrames() {
        return validJpeg.get();
    }

    /**
     * Bytes after the closing boundary, or after the last complete part when they are not a part (devices may
     * send stray bytes; reported, not judged).
     */
    public int trailingBytes() {
        return trailingBytes;
    }

    public String problem() {
        return problem;
    }

    /** Frames per second between the first and the last frame (0 with fewer than two frames). */
    public double framesPerSecond() {
        int n = frames.get();
        long span = lastFrameNanos - firstFrameNanos;
        return n < 2 || span <= 0 ? 0 : (n - 1) / (span / 1e9);
    }

    public long openNanos() {
        return System.nanoTime() - openedNanos;
    }

    private void readLoop() {
        StreamPartReader parts = new StreamPartReader(answer.body(), contentType(), MAX_FRAME);
        try {
            for (Optional<byte[]> part; (part = parts.next()).isPresent(); ) {
                count(part.get());
            }
        } catch (DeviceAnswerRejected e) {
            problem = e.detail();
        } catch (IOException e) {
            if (!answer.socket().isClosed()) {
                problem = e.getMessage();
            }
        } finally {
            trailingBytes = (int) Math.min(Integer.MAX_VALUE, parts.trailingByteCount());
            ended.countDown();
        }
    }

    private void count(byte[] frame) {
        long now = System.nanoTime();
        if (frames.getAndIncrement() == 0) {
            firstFrameNanos = now;
        }
        lastFrameNanos = now;
        if (isJpeg(frame)) {
            validJpeg.incrementAndGet();
        }
    }

    static boolean isJpeg(byte[] f) {
        return f.length >= 4 && (f[0] & 0xFF) == 0xFF && (f[1] & 0xFF) == 0xD8
                && (f[f.length - 2] & 0xFF) == 0xFF && (f[f.length - 1] & 0xFF) == 0xD9;
    }

    @Override
    public void close() throws IOException {
        answer.close();
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
