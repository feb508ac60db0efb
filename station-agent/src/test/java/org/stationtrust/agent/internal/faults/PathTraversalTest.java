package org.stationtrust.agent.internal.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.InvalidConfiguration;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.agent.testing.StationFixture;

/**
 * Path traversal: the only path-like input of the local API (the device id of the preview stream) cannot
 * name a file, raw or percent-encoded, and the configuration refuses a state directory given relative to
 * wherever the service happens to start.
 */
class PathTraversalTest {
    @TempDir Path dir;

    /** A raw HTTP/1.1 request, so the path reaches the agent exactly as written (no client normalisation). */
    private static String raw(int port, String token, String target) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theStreamDeviceIdCannotReachAFile() throws Exception {
        try (StationFixture station = new StationFixture(dir.resolve("station"));
             RunningAgent agent = station.startAgent("traversal")) {
            String token = agent.apiToken().reveal();
            for (String target : new String[] {
                "/v1/devices/..%2F..%2F..%2Fetc%2Fpasswd/stream?deviceSubId=0",
                "/v1/devices/../../../etc/passwd/stream?deviceSubId=0",
                "/v1/devices/%2e%2e%2fapi-token/stream?deviceSubId=0",
                "/v1/devices/4501-1%00/stream?deviceSubId=0"}) {
                String answer = raw(agent.apiPort(), token, target);
                String status = answer.substring(0, answer.indexOf("\r\n"));
                assertFalse(status.contains(" 200 ") || status.contains(" 500 "), target + " -> " + status);
                assertFalse(answer.contains("root:") || answer.contains(token), target + " leaked a file");
            }
        }
    }

    @Test
    void aRelativeStateDirectoryIsRefused() {
        InvalidConfiguration e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(
                Map.of("STATION_AGENT_STATE_DIR", "../../tmp/elsewhere", "STATION_AGENT_MODE", "development", "STATION_AGENT_TPM_URI", "none"))
                .load(java.nio.file.Files.writeString(dir.resolve("agent.yaml"), "machine:\n  name: t1\n")));
        assertTrue(e.getMessage().contains("state_dir") && e.getMessage().contains("absolute"), e.getMessage());
        assertEquals(InvalidConfiguration.class, e.getClass());
    }
}
