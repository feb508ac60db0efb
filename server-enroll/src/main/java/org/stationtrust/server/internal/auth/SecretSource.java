package org.stationtrust.server.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Secrets come from an environment variable NAME or a file named by NAME_FILE (owned by the user this process
 * runs as, readable and writable by that user only), never from the command line or the repository.
 */
public final class SecretSource {
    private static final String RUNNING_USER = System.getProperty("user.name");

    private final Map<String, String> env;

    public SecretSource(Map<String, String> env) {
        this.env = env;
    }

    public Optional<char[]> read(String name) {
        String direct = env.get(name);
        String file = env.get(name + "_FILE");
        if (direct != null && file != null) {
            throw new IllegalArgumentException("Set either " + name + " or " + name + "_FILE, not both");
        }
        if (direct != null) return Optional.of(direct.toCharArray());
        if (file != null) return Optional.of(fromFile(Path.of(file), name + "_FILE"));
        return Optional.empty();
    }

    public static char[] fromFile(Path p, String what) {
        try {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(what + " " + p + " does not exist; create it (mode 0600, owned by "
                        + RUNNING_USER + ") or name another file");
            }
            String owner = Files.getOwner(p).getName();
            if (!owner.equals(RUNNING_USER)) {
                // The same rule as the agent's token file: a secret belongs to the user that reads it.
                throw new IllegalArgumentException(what + " " + p + " belongs to " + owner + ", not to " + RUNNING_USER
                        + " (the user this runs as); run: chown " + RUNNING_USER + " " + p);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            for (PosixFilePermission bad : Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE)) {
                if (perms.contains(bad)) {
                    throw new IllegalArgumentException(what + " " + p + " is readable or writable by others; "
                            + "run: chmod 600 " + p);
                }
            }
            if (Files.size(p) > 4096) throw new IllegalArgumentException(what + " " + p + " is larger than 4 KiB");
            String s = Files.readString(p, StandardCharsets.UTF_8);
            return s.strip().toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + what + " " + p + ": " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(what + " must be on a POSIX file system (permissions are checked)");
        }
    }
}
