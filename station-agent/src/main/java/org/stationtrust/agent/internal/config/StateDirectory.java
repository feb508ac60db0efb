package org.stationtrust.agent.internal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The agent's private directory (0700). Created when missing; tightened to 0700 when found looser, since
 * it holds the queue and the sealed data key. A directory owned by someone else is refused. With a token
 * group (api.token_group) it is 0710 with that group: members can reach the API token file by name, but can
 * neither list the directory nor read anything else in it (every other file is 0600).
 */
public final class StateDirectory {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_TRAVERSE = PosixFilePermissions.fromString("rwx--x---");
    private final Path root;
    private final boolean tightened;

    /** The state directory is unusable (wrong owner, not a directory, cannot be created). */
    public static final class UnusableStateDirectory extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableStateDirectory(String message) {
            super(message);
        }
    }

    private StateDirectory(Path root, boolean tightened) {
        this.root = root;
        this.tightened = tightened;
    }

    public static StateDirectory open(Path root) throws UnusableStateDirectory {
        return open(root, java.util.Optional.empty());
    }

    /** {@code tokenGroup}: the group that may reach the API token file (0710 and that group), else 0700. */
    public static StateDirectory open(Path root, java.util.Optional<String> tokenGroup) throws UnusableStateDirectory {
        Set<PosixFilePermission> wanted = tokenGroup.isPresent() ? GROUP_TRAVERSE : OWNER_ONLY;
        try {
            if (!Files.exists(root)) {
                Files.createDirectories(root.getParent());
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                if (tokenGroup.isPresent()) {
                    GroupNames.assign(root, tokenGroup.get());
                    Files.setPosixFilePermissions(root, wanted);
                }
                return new StateDirectory(root, false);
            }
            if (!Files.isDirectory(root) || Files.isSymbolicLink(root)) {
                throw new UnusableStateDirectory("state_dir " + root + " exists but is not a plain directory; move it away");
            }
            String owner = Files.getOwner(root).getName();
            String me = System.getProperty("user.name");
            if (!owner.equals(me)) {
                throw new UnusableStateDirectory("state_dir " + root + " is owned by " + owner + ", but the agent runs as " + me
                        + "; run chown -R " + me + " " + root);
            }
            Set<PosixFilePermission> found = Files.getPosixFilePermissions(root);
            boolean tighten = !wanted.containsAll(found);
            if (tokenGroup.isPresent()) {
                GroupNames.assign(root, tokenGroup.get());
            }
            if (!found.equals(wanted)) Files.setPosixFilePermissions(root, wanted);
            return new StateDirectory(root, tighten);
        } catch (IOException e) {
            throw new UnusableStateDirectory("cannot prepare state_dir " + root + ": " + e.getMessage());
        }
    }

    public Path root() {
        return root;
    }

    /** True when the directory was found with group/other permissions and was set back to 0700. */
    public boolean wasTightened() {
        return tightened;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    /**
     * Writes a file readable only by the owner, atomically and durably: the temporary is synced before the rename and
     * the directory after it, so a power cut leaves the old content or the new one, never an empty or lost file (a
     * caller may act on the new content, e.g. evict a key the old one named, as soon as this returns).
     */
    public static void writePrivate(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) out.write(buffer);
            out.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Makes a rename in {@code dir} durable (fsync of the directory; Linux allows it on a read-only descriptor). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
