package org.stationtrust.agent.internal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * The one agent that may use a state directory: an exclusive lock on {@code agent.lock} in it, held for the life of
 * the service, or of an {@code enroll} or {@code deprovision} that runs without it. Two agents at once would
 * interleave the audit log's sequence numbers and hash chain and share the queue. The file names its holder (pid,
 * command, since when) so that a refusal can say who holds it; the lock itself is the OS's (fcntl), so it ends with
 * the process, however it ends.
 */
public final class StateDirectoryLock implements AutoCloseable {
    public static final String FILE = "agent.lock";
    private static final int MAX_HOLDER_BYTES = 512;
    private final FileChannel channel;
    private final FileLock lock;

    /** Another process (or another agent in this one) holds the state directory. */
    public static final class StateDirectoryInUse extends Exception {
        private static final long serialVersionUID = 1L;

        StateDirectoryInUse(String message) {
            super(message);
        }
    }

    private StateDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock for {@code command} (e.g. {@code run}), or says who holds it. */
    public static StateDirectoryLock acquire(StateDirectory dir, String command) throws StateDirectoryInUse, IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // created by a concurrent agent: the lock below decides
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new StateDirectoryInUse("state_dir " + dir.root() + " is in use by another station-agent (" + holder
                    + "): only one agent may use it at a time; stop the other one (systemctl stop station-agent), or run"
                    + " this command while the service runs so that it goes through the service");
        }
        String me = "pid " + ProcessHandle.current().pid() + ", " + command + ", since " + Instant.now();
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        return new StateDirectoryLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(MAX_HOLDER_BYTES);
            channel.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            // the file is the agent's own (0600 in its directory), yet only printable text reaches the message
            text = text.replaceAll("[^\\x20-\\x7E]", "?");
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
