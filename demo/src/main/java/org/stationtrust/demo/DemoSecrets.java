package org.stationtrust.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets the demo makes: random, written only to files their owner alone can read, never printed. */
final class DemoSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoSecrets() {
    }

    static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }

    static Path writeOwnerOnly(Path file, byte[] secret) throws IOException {
        return writeOwnerOnly(file, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** Creates the file 0600 before anything is written to it (never a moment world-readable). */
    static Path writeOwnerOnly(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret);
        return file;
    }
}
