package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.internal.SbiHttpAnswer;
import org.stationtrust.sbi.client.internal.SbiTransport;
import org.stationtrust.sbi.client.internal.SbiVerb;
import org.stationtrust.sbi.client.testing.RawHttpServer.RawAnswer;
import org.stationtrust.sbi.client.testing.RawHttpServer;
import org.stationtrust.testsupport.FreePorts;

class SbiTransportTest {
    private final SbiTransport transport = new SbiTransport(64 * 1024);
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private RejectionReason reasonFor(RawHttpServer.Handler handler) throws Exception {
        try (RawHttpServer server = new RawHttpServer(handler)) {
            return assertThrows(DeviceAnswerRejected.class,
                    () -> transport.exchange(server.port(), SbiVerb.MOSIPDINFO, null, DEADLINE)).reason();
        }
    }

    @Test
    void sendsTheCustomVerbToTheExactPath() throws Exception {
        String[] seen = new String[2];
        try (RawHttpServer server = new RawHttpServer(r -> {
            seen[0] = r.verb();
            seen[1] = r.path();
            return RawAnswer.json(200, "[]");
        })) {
            transport.exchange(server.port(), SbiVerb.MOSIPDISC, "{}".getBytes(StandardCharsets.UTF_8), DEADLINE);
        }
        assertEquals("MOSIPDISC", seen[0]);
        assertEquals("/device", seen[1]);
    }

    @Test
    void toleratesStrayBytesAfterTheBodyAndConnectionClose() throws Exception {
        String body = "[{\"a\":1}]";
        try (RawHttpServer server = new RawHttpServer(r -> RawAnswer.raw(RawAnswer.head(200, body.length(),
                "application/json") + body + "\r\n\r\nGARBAGE\0\0"))) {
            for (int i = 0; i < 3; i++) {
                SbiHttpAnswer a = transport.exchange(server.port(), SbiVerb.MOSIPDINFO, null, DEADLINE);
                assertEquals(body, new String(a.body(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void readsABodyDelimitedOnlyByTheConnectionClosing() throws Exception {
        try (RawHttpServer server = new RawHttpServer(r -> RawAnswer.raw(
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n[1,2,3]"))) {
            assertEquals("[1,2,3]", new String(transport.exchange(server.port(), SbiVerb.MOSIPDINFO, null, DEADLINE)
                    .body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void reportsMethodNotAllowedAsAnHttpStatusRejection() throws Exception {
        DeviceAnswerRejected e;
        try (RawHttpServer server = new RawHttpServer(r -> RawAnswer.json(405, "{}"))) {
            e = assertThrows(DeviceAnswerRejected.class,
                    () -> transport.exchange(server.port(), SbiVerb.RCAPTURE, new byte[0], DEADLINE));
        }
        assertEquals(RejectionReason.HTTP_STATUS, e.reason());
        assertTrue(e.getMessage().contains("does not accept RCAPTURE"), e.getMessage());
    }

    @Test
    void capsABodyThatDeclaresTooManyBytes() throws Exception {
        assertEquals(RejectionReason.ANSWER_TOO_LARGE, reasonFor(r -> RawAnswer.raw(
                RawAnswer.head(200, 10_000_000, "application/json") + "[")));
    }

    @Test
    void capsAChunkedBodyWhileItStreams() throws Exception {
        StringBuilder chunks = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "x".repeat(4096);
        for (int i = 0; i < 40; i++) {
            chunks.append("1000\r\n").append(chunk).append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        assertEquals(RejectionReason.ANSWER_TOO_LARGE, reasonFor(r -> RawAnswer.raw(chunks.toString())));
    }

    @Test
    void aDrippingDeviceCannotHoldTheCallerPastTheDeadline() throws Exception {
        String body = "[" + "1,".repeat(400) + "1]"; // 16 s at 20 ms per byte
        long start = System.nanoTime();
        assertEquals(RejectionReason.TIMEOUT, reasonFor(r -> RawAnswer.json(200, body).drip(20)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < DEADLINE.toMillis() + 5000, "took " + ms + " ms");
    }

    @Test
    void aSilentDeviceTimesOut() throws Exception {
        assertEquals(RejectionReason.TIMEOUT, reasonFor(r -> RawAnswer.silence()));
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port = FreePorts.loopback();
        int p = port;
        assertEquals(RejectionReason.DEVICE_UNREACHABLE, assertThrows(DeviceAnswerRejected.class,
                () -> transport.exchange(p, SbiVerb.MOSIPDISC, new byte[0], DEADLINE)).reason());
    }

    @Test
    void garbageInsteadOfHttpIsMalformed() throws Exception {
        assertEquals(RejectionReason.MALFORMED_ANSWER, reasonFor(r -> RawAnswer.raw("SSH-2.0-OpenSSH\r\n")));
    }
}
