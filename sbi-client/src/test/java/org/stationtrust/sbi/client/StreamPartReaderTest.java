package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The STREAM part reader the station and the CTK share, on bytes (JpegFrameStreamTest reads through HTTP;
 * the CTK's PreviewStreamTest through its own channel, chunked too).
 */
class StreamPartReaderTest {
    private static final String TYPE = "multipart/x-mixed-replace; boundary=frame";

    /** A JPEG-shaped part with line breaks and near-boundary lines inside: a reader by boundary must not cut there. */
    private static byte[] part(int size, char fill) {
        byte[] f = new byte[size];
        Arrays.fill(f, (byte) fill);
        f[0] = (byte) 0xFF;
        f[1] = (byte) 0xD8;
        byte[] decoy = "\r\n--frameX\r\n--fram\nframe-\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(decoy, 0, f, size / 2, decoy.length);
        return f;
    }

    private static byte[] body(String boundaryLine, boolean contentLength, String tail, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes((boundaryLine + "\r\nContent-Type: image/jpeg\r\n"
                    + (contentLength ? "Content-Length: " + p.length + "\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static List<byte[]> readAll(StreamPartReader reader) throws Exception {
        List<byte[]> parts = new ArrayList<>();
        for (Optional<byte[]> p; (p = reader.next()).isPresent(); ) {
            parts.add(p.get());
        }
        return parts;
    }

    private static StreamPartReader reader(byte[] body, String contentType, int cap) {
        return new StreamPartReader(new ByteArrayInputStream(body), contentType, cap);
    }

    @Test
    void readsPartsWithoutContentLengthToTheWholeBoundaryLineNotToALineThatOnlyStartsLikeIt() throws Exception {
        byte[] a = part(3000, 'a');
        byte[] b = part(2000, 'b');
        StreamPartReader r = reader(body("--frame", false, "--frame--\r\n", a, b), TYPE, 4096);
        List<byte[]> parts = readAll(r);
        assertEquals(2, parts.size());
        assertArrayEquals(a, parts.get(0));
        assertArrayEquals(b, parts.get(1));
        assertTrue(r.trailingBytes().isEmpty());
    }

    @Test
    void readsABoundaryWithoutDashesQuotedInTheContentTypeAndPaddedOnItsLine() throws Exception {
        byte[] a = part(100, 'a');
        List<byte[]> parts = readAll(reader(body("frame \t", false, "--frame-- ", a, a),
                "multipart/x-mixed-replace;boundary=\"--frame\"", 4096));
        assertEquals(2, parts.size());
        assertArrayEquals(a, parts.get(1));
    }

    @Test
    void endsAPartWithoutContentLengthAtAClosingBoundaryThatEndsTheStreamWithoutALineEnd() throws Exception {
        byte[] a = part(100, 'a');
        StreamPartReader r = reader(body("--frame", false, "--frame--", a), TYPE, 4096);
        assertEquals(1, readAll(r).size());
        assertEquals(0, r.trailingByteCount());
    }

    @Test
    void namesAPartWithoutContentLengthWhenTheContentTypeNamesNoBoundary() {
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> readAll(reader(body("--frame", false, "", part(100, 'a')), "multipart/x-mixed-replace", 4096)));
        assertEquals(RejectionReason.MALFORMED_ANSWER, e.reason());
        assertTrue(e.detail().contains("names no boundary") && e.detail().contains("send Content-Length"), e.detail());
    }

    @Test
    void refusesAPartWithoutContentLengthRunningPastTheCap() {
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> readAll(reader(body("--frame", false, "--frame--\r\n", part(5000, 'a')), TYPE, 4096)));
        assertEquals(RejectionReason.ANSWER_TOO_LARGE, e.reason());
        assertTrue(e.detail().contains("4096"), e.detail());
    }

    @Test
    void refusesAnAnnouncedLengthOverTheCapOrThatIsNotANumber() {
        byte[] a = part(100, 'a');
        DeviceAnswerRejected big = assertThrows(DeviceAnswerRejected.class, () -> readAll(reader(body("--frame", true, "", a), TYPE, 64)));
        assertEquals(RejectionReason.ANSWER_TOO_LARGE, big.reason());
        byte[] notNumber = "--frame\r\nContent-Length: 12x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        DeviceAnswerRejected nan = assertThrows(DeviceAnswerRejected.class,
                () -> readAll(reader(notNumber, TYPE, 64)));
        assertTrue(nan.detail().contains("is not a number"), nan.detail());
    }

    @Test
    void leavesJudgingWhatAPartHoldsToTheCaller() throws Exception {
        byte[] gif = "GIF89a".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(gif, readAll(reader(body("--frame", true, "", gif), TYPE, 64)).get(0));
    }

    @Test
    void countsAndReportsBytesAfterTheClosingBoundaryKeepingEveryPart() throws Exception {
        byte[] a = part(100, 'a');
        StreamPartReader r = reader(body("--frame", true, "--frame--\r\n--frame\r\nContent-Length: 3\r\n\r\nabc", a), TYPE, 4096);
        assertEquals(1, readAll(r).size(), "nothing after the closing boundary is a part");
        assertEquals(33, r.trailingByteCount());
        assertTrue(r.trailingBytes().orElseThrow().detail().contains("33 bytes after the closing boundary"),
                r.trailingBytes().get().detail());
    }

    @Test
    void takesALineEndingInDashesThatIsNotTheDeclaredBoundaryForABoundaryLineNotForTheEnd() throws Exception {
        byte[] a = part(100, 'a');
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("`--\r\n".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(body("--frame", true, "--frame--\r\n", a));
        assertEquals(1, readAll(reader(body.toByteArray(), TYPE, 4096)).size());
    }
}
