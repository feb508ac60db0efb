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

/**
 * The bearer token of the local API: 256 random bits in a 0600 file in the state directory, created on first start;
 * 0640 with the registration application's group when {@code api.token_group} names one.
 */
public final class ApiToken {
    public static final String FILE_NAME = "api-token";
    private final byte[] value;

    private ApiToken(String value) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    public static ApiToken loadOrCreate(Path stateDir) throws IOException {
        return loadOrCreate(stateDir, java.util.Optional.empty());
    }

    /** {@code group}: the file is set to 0640 with this group (at every start, so a changed setting applies). */
    public static ApiToken loadOrCreate(Path stateDir, java.util.Optional<String> group) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            StateDirectory.writePrivate(file, Base64.getUrlEncoder().withoutPadding().encode(random));
        }
        if (group.isPresent()) return shared(file, group.get());
        try {
            return new ApiToken(new SecretFiles().read(file));
        } catch (SecretFiles.UnusableSecretFile e) {
            throw new IOException("the local API token file is unusable: " + e.getMessage(), e);
        }
    }

    private static ApiToken shared(Path file, String group) throws IOException {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the local API token file " + file + " must be a regular file (not a link); remove it");
        }
        var shared = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
        if (Files.getOwner(file).getName().equals(System.getProperty("user.name"))) {
            org.stationtrust.agent.internal.config.GroupNames.assign(file, group);
            Files.setPosixFilePermissions(file, shared);
        } else if (!shared.containsAll(Files.getPosixFilePermissions(file))) {
            // A reader in the group (the CLI run by the application's user) never loosens or accepts a loose file.
            throw new IOException("the local API token file " + file + " is writable by its group or open to others; "
                    + "run chmod 640 " + file);
        }
        if (Files.size(file) > 4096) throw new IOException("the local API token file " + file + " is larger than 4096 bytes");
        String value = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (value.isEmpty()) throw new IOException("the local API token file " + file + " is empty; remove it to get a new one");
        return new ApiToken(value);
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
