package org.stationtrust.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stationtrust.logging.JsonLineEncoder;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/** End to end: passwords, tokens, signatures and session cookies never reach a log line as the server writes it. */
class LogContentTest {
    @TempDir
    Path dir;

    @Test
    void nothingSecretReachesTheLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        // Appended from the code's own threads while the test reads it.
        captured.list = new java.util.concurrent.CopyOnWriteArrayList<>();
        captured.start();
        root.addAppender(captured);
        try (TestServer server = TestServer.start(dir)) {
            var login = server.login(HttpClient.newHttpClient(), "admin", TestServer.PASSWORD);
            String session = login.headers().firstValue("Set-Cookie").orElseThrow();
            server.login(HttpClient.newHttpClient(), "admin", "a wrong password guess");
            server.as(Role.ADMIN, "GET", "/api/v1/admin/machines", null);
            server.request("GET", "/api/v1/admin/machines", null, "sta_forgedtokenvalue0123456789");
            SoftwareStation s = new SoftwareStation();
            String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
            String jws = StationClient.header(id, StationClient.payload("GET", "/api/v1/stations/me", new byte[0],
                    System.currentTimeMillis() / 1000, StationClient.randomNonce()), StationClient.jcaSigner(s.machineKey()));
            server.stations.sendRaw("GET", "/api/v1/stations/me", null, jws);
            server.stations.sendRaw("GET", "/api/v1/stations/me", null, jws);
            server.stations.sendRaw("GET", "/api/v1/stations/me", null, jws.substring(0, jws.length() - 4) + "AAAA");

            StringBuilder all = new StringBuilder();
            captured.list.forEach(e -> all.append(JsonLineEncoder.line(e)).append('\n'));
            String logs = all.toString();
            assertTrue(logs.contains("\"event\":\"request\""), "requests are logged: " + logs);
            for (String secret : new String[] {TestServer.PASSWORD, "a wrong password guess",
                    server.tokens.get(Role.ADMIN), "sta_forgedtokenvalue", jws.substring(0, 30),
                    jws.substring(jws.lastIndexOf('.') + 1), session.substring(session.indexOf('=') + 1, session.indexOf(';'))}) {
                assertFalse(logs.contains(secret), "a secret reached the logs: " + secret.substring(0, 8) + "...");
            }
        } finally {
            root.detachAppender(captured);
        }
    }
}
