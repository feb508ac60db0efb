package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stationtrust.agent.testing.SelfSignedServer;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceStatus;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.DigitalId;
import org.stationtrust.sbi.client.JpegFrameStream;
import org.stationtrust.sbi.client.Modality;
import org.stationtrust.sbi.client.RejectionReason;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;

/** The preview relay against a real socket that sends a device's STREAM answer byte for byte. */
class FrameRelayTest {
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 7, 7, 7, (byte) 0xFF, (byte) 0xD9};
    private static final DigitalId FACE = new DigitalId("F", "M", "Mo", Modality.FACE, "Full face", "P", "P", "");

    private static String part() {
        return "--dev\r\nContent-Type: image/jpeg\r\nContent-Length: " + JPEG.length + "\r\n\r\n";
    }

    private static byte[] body(int frames, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=dev\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < frames; i++) {
            out.writeBytes(part().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(JPEG);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Relays what a one-shot device answering {@code answer} streams; the relayed body goes to {@code relayed}. */
    private static FrameRelay.Outcome relay(byte[] answer, ByteArrayOutputStream relayed) throws Exception {
        try (ServerSocket device = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = device.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.read(new byte[4096]);
                    out.write(answer);
                } catch (Exception ignored) {
                    // the test's assertions say what went wrong
                }
            });
            server.start();
            // Any certificate makes the device trusted for SbiClient.stream: the relay, not the trust chain, is under test.
            X509Certificate certificate;
            try (SelfSignedServer issuer = new SelfSignedServer()) {
                certificate = issuer.certificate();
            }
            Device d = new Device(device.getLocalPort(), "3", List.of(0), DeviceStatus.READY, "", "", "", "",
                    List.of(), "", "", FACE, Optional.of(certificate));
            SbiClientConfig config = SbiClientConfig.builder(DeviceTrustStore.of(List.of(certificate)))
                    .maxAnswerBytes(1 << 20).maxFrameBytes(1 << 16).build();
            try (SbiClient client = new SbiClient(config);
                    JpegFrameStream frames = client.stream(d, 0, Duration.ofSeconds(2))) {
                return FrameRelay.relay(frames, relayed, "agent");
            } finally {
                server.join(5000);
            }
        }
    }

    @Test
    void aStreamThatBreaksAfterFramesEndsTheRelayedBodyWithItsFinalBoundaryAndReportsTheFailure() throws Exception {
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        String cutPart = "--dev\r\nContent-Type: image/jpeg\r\nContent-Length: 500\r\n\r\n\u00ff\u00d8abc";

        FrameRelay.Outcome outcome = relay(body(2, cutPart), relayed);

        String text = relayed.toString(StandardCharsets.ISO_8859_1);
        assertEquals(2, outcome.frames());
        assertEquals("device_failed", outcome.kind());
        assertEquals(RejectionReason.MALFORMED_ANSWER, outcome.failure().orElseThrow().reason());
        assertTrue(text.endsWith("\r\n--agent--\r\n"), "the multipart body ends with its final boundary: " + text);
        assertEquals(2, text.split("Content-Type: image/jpeg", -1).length - 1);
        assertTrue(!text.contains("{"), "no JSON error inside the multipart body");
    }

    @Test
    void trailingBytesAfterTheLastFrameKeepEveryFrameAndAreReportedAsADeviceDefect() throws Exception {
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();

        FrameRelay.Outcome outcome = relay(body(3, "--dev\r\nContent-Type: ima"), relayed);

        assertEquals(3, outcome.frames());
        assertEquals("device_defect", outcome.kind());
        assertTrue(outcome.failure().isEmpty());
        assertTrue(outcome.trailingBytes().isPresent());
        assertTrue(relayed.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n--agent--\r\n"));
    }

    @Test
    void aCompleteStreamIsRelayedWhole() throws Exception {
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();

        FrameRelay.Outcome outcome = relay(body(2, "--dev--\r\n"), relayed);

        assertEquals("complete", outcome.kind());
        assertEquals(2, outcome.frames());
    }

    @Test
    void aStreamThatFailsBeforeItsFirstFrameIsThrownSoTheCallerCanStillAnswerWithAnErrorStatus() {
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        String notJpeg = "--dev\r\nContent-Type: image/gif\r\nContent-Length: 3\r\n\r\nGIF\r\n--dev--\r\n";

        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> relay(body(0, notJpeg), relayed));

        assertEquals(RejectionReason.MALFORMED_ANSWER, e.reason());
        assertEquals(0, relayed.size(), "nothing was written, so the error can still be an HTTP status");
    }
}
