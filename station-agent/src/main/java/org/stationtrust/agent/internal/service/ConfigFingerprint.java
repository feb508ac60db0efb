package org.stationtrust.agent.internal.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.config.StateDirectory;

/** Audits configuration changes: the SHA-256 of the effective configuration is compared with the one of the last start. */
final class ConfigFingerprint {
    private static final String FILE = "config.sha256";

    private ConfigFingerprint() {
    }

    static void recordChange(AgentConfig config, StateDirectory state, AuditLog audit) throws IOException {
        String now = fingerprint(config);
        Path file = state.resolve(FILE);
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : "";
        if (!before.equals(now)) {
            audit.append("config.changed", Map.of("previousSha256", before.isEmpty() ? "none" : before, "sha256", now,
                    "mode", config.mode().name()));
            StateDirectory.writePrivate(file, now.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Records print secrets as [redacted] (AgentConfig.Secret), so the fingerprint never hashes a secret directly. */
    static String fingerprint(AgentConfig config) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
