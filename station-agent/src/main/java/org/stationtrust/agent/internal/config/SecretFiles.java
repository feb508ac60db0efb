package org.stationtrust.agent.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Reads a secret from a file only if no one but its owner can read it (0600 or stricter). */
public final class SecretFiles {
    static final int MAX_SECRET_BYTES = 4096;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** The file exists but must not be trusted with a secret. */
    public static final class UnusableSecretFile extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableSecretFile(String message) {
            super(message);
        }
    }

    /** A secret piped in (e.g. standard input): its first line, at most {@link #MAX_SECRET_BYTES} bytes, not empty. */
    public static String fromStream(java.io.InputStream in, String source) throws UnusableSecretFile {
        try {
            byte[] bytes = in.readNBytes(MAX_SECRET_BYTES + 1);
            if (bytes.length > MAX_SECRET_BYTES) throw new UnusableSecretFile(source + " holds more than " + MAX_SECRET_BYTES + " bytes");
            String value = new String(bytes, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            if (value.isEmpty()) throw new UnusableSecretFile("no token on " + source + " (expected one line)");
            return value;
        } catch (IOException e) {
            throw new UnusableSecretFile("cannot read " + source + ": " + e.getMessage());
        }
    }

    public String read(Path file) throws UnusableSecretFile {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnusableSecretFile("expected a regular file at " + file + " (not a link or directory)");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
            loose.addAll(perms);
            loose.retainAll(OTHERS);
            if (!loose.isEmpty()) {
                throw new UnusableSecretFile(file + " is readable or writable by others (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                        + "); run chmod 600 " + file);
            }
            if (Files.size(file) > MAX_SECRET_BYTES) throw new UnusableSecretFile(file + " is larger than " + MAX_SECRET_BYTES + " bytes");
            String value = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (value.isEmpty()) throw new UnusableSecretFile(file + " is empty");
            return value;
        } catch (IOException e) {
            throw new UnusableSecretFile("cannot read " + file + ": " + e.getMessage());
        }
    }
}
