package org.stationtrust.agent.internal.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.stationtrust.agent.internal.config.SecretFiles;
import org.stationtrust.agent.internal.config.StateDirectory;

/** The bearer token of the local API: 256 random bits in a 0600 file in the state directory, created on first start. */
public final class ApiToken {
    public static final String FILE_NAME = "api-token";
    private final byte[] value;

    private ApiToken(String value) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    public static ApiToken loadOrCreate(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            StateDirectory.writePrivate(file, Base64.getUrlEncoder().withoutPadding().encode(random));
        }
        try {
            return new ApiToken(new SecretFiles().read(file));
        } catch (SecretFiles.UnusableSecretFile e) {
            throw new IOException("the local API token file is unusable: " + e.getMessage(), e);
        }
    }

    /** Constant-time comparison with a presented token. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** For clients in the same process (the CLI, tests); never logged. */
    public String reveal() {
        return new String(value, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "ApiToken[redacted]";
    }
}
