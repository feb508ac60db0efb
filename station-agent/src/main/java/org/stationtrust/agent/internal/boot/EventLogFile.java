package org.stationtrust.agent.internal.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The log as a file: on Linux the kernel's {@code binary_bios_measurements}, which only root can read, so the
 * package's unit copies it at service start into the agent's runtime directory (installer/README.md). securityfs
 * reports size 0 for it: read until end of file, never by the reported size.
 */
public final class EventLogFile implements EventLogSource {
    public static final Path KERNEL = Path.of("/sys/kernel/security/tpm0/binary_bios_measurements");
    /** Where the unit's ExecStartPre copies it (RuntimeDirectory=station-agent). */
    public static final Path RUNTIME_COPY = Path.of("/run/station-agent/binary_bios_measurements");

    private final Path path;

    public EventLogFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public Optional<byte[]> read() throws EventLogUnreadable {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] log = in.readNBytes(MAX_BYTES + 1);
            if (log.length > MAX_BYTES) {
                throw new EventLogUnreadable("the boot event log " + path + " is larger than " + MAX_BYTES
                        + " bytes; this is not a firmware event log");
            }
            if (log.length == 0) {
                throw new EventLogUnreadable("the boot event log " + path + " is empty; the firmware logged nothing or"
                        + " the copy failed (see the unit's ExecStartPre)");
            }
            return Optional.of(log);
        } catch (NoSuchFileException e) {
            throw new EventLogUnreadable("no boot event log at " + path + "; start the agent through its systemd unit"
                    + " (it copies " + KERNEL + " there), or set tpm.event_log", e);
        } catch (AccessDeniedException e) {
            throw new EventLogUnreadable("the boot event log " + path + " is not readable by "
                    + System.getProperty("user.name") + "; the unit's copy must be owned by the agent user", e);
        } catch (IOException e) {
            throw new EventLogUnreadable("cannot read the boot event log " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }
}
