package org.stationtrust.ctk.internal.check;

/**
 * STREAM answered multipart/x-mixed-replace whose parts are complete JPEG frames (SOI..EOI), at 3
 * frames per second or more (SBI 0.9.5 §Device Stream).
 */
public final class StreamCheck implements Check {
    static final double MIN_FPS = 3.0;

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        Observation.StreamRecord s = o.stream;
        if (s == null) {
            return Finding.fail(name(), "no stream was read");
        }
        boolean multipart = s.contentType() != null
                && s.contentType().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/x-mixed-replace");
        if (!multipart && !o.errorCodes.isEmpty()) {
            // A JSON error instead of a stream: name the device's answer (e.g. 111 = still busy).
            return Finding.fail(name(), "STREAM answered error " + o.errorCodes
                    + ErrorCodeCheck.describe(o.errorCodes) + " instead of a stream");
        }
        if (s.problem() != null && s.frames() == 0) {
            return Finding.fail(name(), "stream failed: " + s.problem());
        }
        if (s.status() != 200) {
            return Finding.fail(name(), "STREAM answered HTTP " + s.status() + ", expected 200");
        }
        if (s.contentType() == null || !s.contentType().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/x-mixed-replace")) {
            return Finding.fail(name(), "STREAM Content-Type is '" + s.contentType() + "', expected multipart/x-mixed-replace");
        }
        if (s.frames() == 0 || s.validJpegFrames() < s.frames()) {
            return Finding.fail(name(), s.validJpegFrames() + " of " + s.frames() + " frames are complete JPEG images");
        }
        if (s.framesPerSecond() < MIN_FPS) {
            return Finding.fail(name(), String.format("stream delivers %.1f frames/s, below %.0f", s.framesPerSecond(), MIN_FPS));
        }
        String trailing = o.streamTrailingBytes > 0 ? String.format(
                "; %d stray bytes after the final boundary, ignored (devices may send them)", o.streamTrailingBytes) : "";
        return Finding.pass(name(), String.format("%d JPEG frames at %.1f frames/s%s", s.frames(), s.framesPerSecond(), trailing));
    }
}
