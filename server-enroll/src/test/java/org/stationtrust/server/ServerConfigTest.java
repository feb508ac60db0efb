package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void defaultsAreTheSecureChoice() {
        ServerConfig c = ServerConfig.builder("jdbc:sqlite:x.db").keystore(java.nio.file.Path.of("k.p12"),
                "pw".toCharArray()).build();
        assertEquals(ServerConfig.TlsMode.KEYSTORE, c.tlsMode());
        assertEquals("127.0.0.1", c.bindHost());
        assertEquals(Duration.ofSeconds(60), c.requestSkew());
        assertEquals(Duration.ofMinutes(2), c.nonceTtl());
        assertFalse(c.toString().contains("pw"));
    }

    @Test
    void refusesUnusableSettings() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder("jdbc:mysql://x/y").build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder("jdbc:sqlite:x.db").build(),
                "TLS without a keystore");
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder("jdbc:sqlite:x.db")
                .tls(ServerConfig.TlsMode.PLAINTEXT).requestSkew(Duration.ofHours(1)).build());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder("jdbc:sqlite:x.db")
                .tls(ServerConfig.TlsMode.PLAINTEXT).rateLimits(0, 1, 1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder(
                "jdbc:postgresql://db/enroll?password=secret").tls(ServerConfig.TlsMode.PLAINTEXT).bind("127.0.0.1", 70000)
                .build());
        assertTrue(e.getMessage().contains("port"));
        assertFalse(ServerConfig.builder("jdbc:postgresql://db/enroll?password=secret").tls(ServerConfig.TlsMode.PLAINTEXT)
                .build().toString().contains("secret"));
    }

    @Test
    void roleInheritanceIsAuditorApproverAdmin() {
        assertTrue(Role.ADMIN.includes(Role.APPROVER) && Role.APPROVER.includes(Role.AUDITOR));
        assertFalse(Role.AUDITOR.includes(Role.APPROVER) || Role.APPROVER.includes(Role.ADMIN));
        assertEquals(Role.APPROVER, Role.parse(" approver "));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
    }
}
