package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.internal.SbiRequests;
import org.stationtrust.sbi.client.internal.SbiTransport;
import org.stationtrust.sbi.client.testing.RawHttpServer.RawAnswer;
import org.stationtrust.sbi.client.testing.RawHttpServer;

/** STREAM parsing by each part's Content-Length, whatever the boundary lines look like. */
class JpegFrameStreamTest {
    private static final byte[] JPEG_A = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
    private static final byte[] JPEG_B = {(byte) 0xFF, (byte) 0xD8, '\r', '\n', '-', '-', 'x', (byte) 0xFF, (byte) 0xD9};
    private static final DigitalId FACE = new DigitalId("F", "M", "Mo", Modality.FACE, "Full face", "P", "P", "");

    private static byte[] multipart(String boundaryLine, String head, List<byte[]> frames, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] f : frames) {
            out.writeBytes((boundaryLine + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + f.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(f);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Parts with headers but no Content-Length, each ended by the next boundary line only. */
    private static byte[] multipartWithoutLengths(String boundaryLine, List<byte[]> frames, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes((boundaryLine + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(f);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static List<byte[]> read(byte[] body, int maxFrame) throws Exception {
        return readAll(body, maxFrame).frames();
    }

    private record Outcome(List<byte[]> frames, Optional<DeviceAnswerRejected> trailingBytes) {
    }

    private static Outcome readAll(byte[] body, int maxFrame) throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        all.writeBytes(body);
        try (RawHttpServer server = new RawHttpServer(r -> RawAnswer.bytes(all.toByteArray()))) {
            SbiTransport transport = new SbiTransport(1 << 20);
            Device d = new Device(server.port(), "3", List.of(0), DeviceStatus.NOT_REGISTERED, "", "", "", "",
                    List.of(), "", "", FACE, Optional.empty());
            try (JpegFrameStream stream = transport.openStream(server.port(), SbiRequests.stream(d, 0,
                    Duration.ofSeconds(2)), Duration.ofSeconds(3), maxFrame)) {
                java.util.ArrayList<byte[]> frames = new java.util.ArrayList<>();
                Optional<byte[]> f;
                while ((f = stream.nextFrame()).isPresent()) {
                    frames.add(f.get());
                }
                return new Outcome(frames, stream.trailingBytes());
            }
        }
    }

    @Test
    void readsFramesDelimitedByRfcBoundaries() throws Exception {
        List<byte[]> frames = read(multipart("--frame", "", List.of(JPEG_A, JPEG_B), "--frame--\r\n"), 1024);
        assertEquals(2, frames.size());
        assertArrayEquals(JPEG_A, frames.get(0));
        assertArrayEquals(JPEG_B, frames.get(1));
    }

    @Test
    void readsFramesWhoseBoundaryLacksTheLeadingDashesOrContainsBoundaryBytes() throws Exception {
        List<byte[]> frames = read(multipart("frame", "\r\n", List.of(JPEG_B, JPEG_A, JPEG_B), ""), 1024);
        assertEquals(3, frames.size());
        assertArrayEquals(JPEG_B, frames.get(2));
    }

    @Test
    void readsPartsWithoutContentLengthUpToTheNextBoundaryLine() throws Exception {
        List<byte[]> frames = read(multipartWithoutLengths("--frame", List.of(JPEG_A, JPEG_B, JPEG_A), "--frame--\r\n"),
                1024);
        assertEquals(3, frames.size());
        assertArrayEquals(JPEG_A, frames.get(0));
        assertArrayEquals(JPEG_B, frames.get(1));
        assertArrayEquals(JPEG_A, frames.get(2));
    }

    @Test
    void readsPartsWithoutContentLengthWhoseBoundaryLacksTheDashesAndMixedWithLengthParts() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(multipartWithoutLengths("frame", List.of(JPEG_A), ""));
        body.writeBytes(multipart("frame", "", List.of(JPEG_B), "frame--"));
        List<byte[]> frames = read(body.toByteArray(), 1024);
        assertEquals(2, frames.size());
        assertArrayEquals(JPEG_A, frames.get(0));
        assertArrayEquals(JPEG_B, frames.get(1));
    }

    @Test
    void rejectsAPartWithoutContentLengthRunningPastTheFrameCap() {
        byte[] big = new byte[4096];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> read(multipartWithoutLengths("--frame", List.of(big), "--frame--\r\n"), 2048));
        assertEquals(RejectionReason.ANSWER_TOO_LARGE, e.reason());
    }

    @Test
    void rejectsAStreamEndingInsideAPartWithoutContentLength() {
        byte[] body = multipartWithoutLengths("--frame", List.of(JPEG_A), "");
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> read(body, 1024));
        assertEquals(RejectionReason.MALFORMED_ANSWER, e.reason());
        assertTrue(e.getMessage().contains("before its next boundary"), e.getMessage());
    }

    @Test
    void rejectsAFrameLargerThanTheCap() {
        byte[] big = new byte[4096];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> read(multipart("--frame", "", List.of(big), ""), 2048));
        assertEquals(RejectionReason.ANSWER_TOO_LARGE, e.reason());
    }

    @Test
    void rejectsAPartThatIsNotAJpeg() {
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> read(multipart("--frame", "", List.of("GIF89a".getBytes(StandardCharsets.US_ASCII)), ""), 1024));
        assertEquals(RejectionReason.MALFORMED_ANSWER, e.reason());
    }

    @Test
    void rejectsAStreamCutInsideAFrame() {
        byte[] body = multipart("--frame", "", List.of(JPEG_A), "");
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 5);
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> read(cut, 1024));
        assertEquals(RejectionReason.MALFORMED_ANSWER, e.reason());
        assertTrue(e.getMessage().contains("STREAM"));
    }

    @Test
    void aCleanStreamReportsNoTrailingBytes() throws Exception {
        Outcome clean = readAll(multipart("--frame", "", List.of(JPEG_A, JPEG_B), "--frame--\r\n"), 1024);
        assertEquals(2, clean.frames().size());
        assertTrue(clean.trailingBytes().isEmpty());
    }

    @Test
    void headerBytesAfterTheLastFrameEndTheStreamKeepingEveryFrameAndAreReportedAsADefect() throws Exception {
        Outcome o = readAll(multipart("--frame", "", List.of(JPEG_A, JPEG_B), "--frame\r\nContent-Type: image/jp"), 1024);
        assertEquals(2, o.frames().size());
        assertArrayEquals(JPEG_B, o.frames().get(1));
        DeviceAnswerRejected defect = o.trailingBytes().orElseThrow();
        assertEquals(RejectionReason.MALFORMED_ANSWER, defect.reason());
        assertTrue(defect.detail().contains("after its last complete part"), defect.detail());
    }

    @Test
    void anUnterminatedGarbageTailIsReportedAsTrailingBytes() throws Exception {
        Outcome o = readAll(multipart("--frame", "", List.of(JPEG_A), "--frame--\r\n\u0000\u0001garbage"), 1024);
        assertEquals(1, o.frames().size());
        assertTrue(o.trailingBytes().isPresent());
    }

    @Test
    void aLongBinaryTailWithoutLineEndsIsReportedAsTrailingBytes() throws Exception {
        String tail = "x".repeat(20_000);
        Outcome o = readAll(multipart("--frame", "", List.of(JPEG_A, JPEG_B), tail), 64 * 1024);
        assertEquals(2, o.frames().size());
        assertTrue(o.trailingBytes().orElseThrow().detail().contains("20002 bytes"), o.trailingBytes().get().detail());
    }
}
