package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamTest {
    private static SimulatedDevice face;

    @BeforeAll
    static void start() {
        face = SbiSimulator.start(TestDevices.config(DeviceKind.FACE).captureDelay(Duration.ofMillis(200)).build());
    }

    @AfterAll
    static void stop() {
        face.close();
    }

    private static HttpResponse<InputStream> openStream(String timeoutMs) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(face.callbackUrl().resolve("/stream"))
                .timeout(Duration.ofSeconds(5))
                .method("STREAM", HttpRequest.BodyPublishers.ofString(
                        "{\"deviceId\":\"3\",\"deviceSubId\":\"0\",\"timeout\":\"" + timeoutMs + "\"}"))
                .build();
        return TestDevices.HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads one part by its Content-Length (not with a strict multipart parser); null at the end. */
    private static byte[] nextPart(InputStream in) throws IOException {
        String line;
        int contentLength = -1;
        do {
            line = readLine(in);
            if (line == null || line.endsWith("--") && line.startsWith("--")) {
                return null;
            }
        } while (!line.startsWith("--"));
        while (!(line = readLine(in)).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertTrue(contentLength > 0, "each part has a Content-Length");
        return in.readNBytes(contentLength);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return c == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void streamYieldsAtLeastThreeJpegFramesPerSecond() throws Exception {
        HttpResponse<InputStream> r = openStream("1000");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("multipart/x-mixed-replace"));
        int frames = 0;
        long start = System.nanoTime();
        try (InputStream in = r.body()) {
            byte[] part;
            while ((part = nextPart(in)) != null) {
                frames++;
                assertEquals((byte) 0xFF, part[0]);
                assertEquals((byte) 0xD8, part[1], "JPEG SOI marker");
                assertNotNull(ImageIO.read(new ByteArrayInputStream(part)), "frame decodes");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(frames >= 3, "at least 3 frames in about 1 s, got " + frames);
        assertTrue(seconds < 10, "the stream ended at its 1 s timeout, took " + seconds + " s");
    }

    @Test
    void streamEndsWhenTheMatchingCaptureCompletes() throws Exception {
        HttpResponse<InputStream> r = openStream("30000");
        try (InputStream in = r.body()) {
            assertNotNull(nextPart(in));
            CompletableFuture<JsonNode> capture = CompletableFuture.supplyAsync(() -> {
                try {
                    return TestDevices.capture(face, TestDevices.rcapture(DeviceKind.FACE, 0, 1, List.of(),
                            TestDevices.EMPTY_SHA256_HEX));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            int more = 0;
            while (nextPart(in) != null) {
                more++;
                assertTrue(System.nanoTime() - start < 5_000_000_000L, "stream should have ended");
            }
            assertEquals("0", TestDevices.errorCode(capture.get(5, TimeUnit.SECONDS).get("biometrics").get(0)));
            assertTrue(more < 30, "stream ended soon after the capture, " + more + " frames later");
        }
    }

    @Test
    void streamFromAnUnknownDeviceAnswers202() throws Exception {
        HttpResponse<byte[]> r = TestDevices.send(face, "STREAM", "/stream",
                "{\"deviceId\":\"9\",\"deviceSubId\":\"0\"}", Duration.ofSeconds(5));
        assertEquals("202", TestDevices.JSON.readTree(r.body()).get("error").get("errorCode").asText());
    }

    @Test
    void aDeviceThatIsNotReadyDoesNotStream() throws Exception {
        face.setStatus(DeviceStatus.NOT_READY);
        try {
            HttpResponse<byte[]> r = TestDevices.send(face, "STREAM", "/stream",
                    "{\"deviceId\":\"3\",\"deviceSubId\":\"0\",\"timeout\":\"1000\"}", Duration.ofSeconds(5));
            assertEquals("110", TestDevices.JSON.readTree(r.body()).get("error").get("errorCode").asText());
        } finally {
            face.reset();
        }
    }
}
