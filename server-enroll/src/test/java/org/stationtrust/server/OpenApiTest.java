package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.testing.TestServer;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI file documents exactly the API routes the server registers, and every error code. */
class OpenApiTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static Set<String> documented() throws Exception {
        try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            Map<String, Object> doc = new Yaml().load(in);
            Set<String> out = new TreeSet<>();
            ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, ops) ->
                    ops.keySet().forEach(m -> out.add(m.toUpperCase() + " " + path)));
            return out;
        }
    }

    @Test
    void documentsEveryRegisteredApiRouteAndNoOther() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Set<String> registered = new TreeSet<>();
            for (String r : server.server.registeredRoutes()) {
                String path = r.substring(r.indexOf(' ') + 1);
                if (path.startsWith("/api/") || path.equals("/health") || path.equals("/ready")
                        || path.equals("/metrics")) registered.add(r);
            }
            assertEquals(registered, documented());
        }
    }

    @Test
    void theApiDocumentListsEveryErrorCode() throws Exception {
        String doc = java.nio.file.Files.readString(Path.of("..", "docs", "server-api.md"));
        for (ErrorCode c : ErrorCode.values()) {
            assertTrue(doc.contains("`" + c.wire() + "`"), "docs/server-api.md misses error code " + c.wire());
        }
    }
}
