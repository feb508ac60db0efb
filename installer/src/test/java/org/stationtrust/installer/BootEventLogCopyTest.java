package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit's privileged pre-start step copies the boot event log for the agent: read to end of file (securityfs
 * reports size 0; a FIFO stands in for it), 0400, user and group the agent's; and the unit gains nothing else.
 */
class BootEventLogCopyTest {
    private static final Path SCRIPT = Path.of("src/deb/station-agent/copy-boot-event-log");
    private static final Path UNIT = Path.of("src/deb/station-agent/station-agent.service");

    @TempDir
    Path dir;

    @Test
    void theLogIsCopiedToTheEndOwnedByTheAgentAndReadOnly() throws Exception {
        Path fifo = dir.resolve("binary_bios_measurements");
        Command.of("mkfifo", fifo.toString()).run().requireSuccess();
        byte[] log = new byte[100_000];
        new Random(15).nextBytes(log);
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(log);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        Path copy = dir.resolve("run").resolve("binary_bios_measurements");
        Files.createDirectories(copy.getParent());
        Command.of("sh", SCRIPT.toString(), fifo.toString(), copy.toString(), "nobody:nogroup").run().requireSuccess();
        writer.join();
        assertArrayEquals(log, Files.readAllBytes(copy));
        assertReadableByTheOwnerAlone(copy);
        try (var left = Files.list(copy.getParent())) {
            assertEquals(java.util.List.of(copy), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void anEarlierCopyIsReplacedReadOnlyWhateverTheCallersUmask() throws Exception {
        Path source = Files.write(dir.resolve("binary_bios_measurements"), new byte[] {4, 5, 6});
        Path copy = Files.write(Files.createDirectories(dir.resolve("run")).resolve("binary_bios_measurements"),
                new byte[] {1});
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-rw-rw-"));
        Command.Result r = Command.of("sh", "-c", "umask 0000 && exec sh \"$0\" \"$@\"", SCRIPT.toString(),
                source.toString(), copy.toString(), "nobody:nogroup").run();
        assertTrue(r.succeeded(), r.describe());
        assertArrayEquals(new byte[] {4, 5, 6}, Files.readAllBytes(copy));
        assertReadableByTheOwnerAlone(copy);
    }

    /** 0400, user and group the agent's (here nobody:nogroup): the agent reads the copy and nobody else needs to. */
    private static void assertReadableByTheOwnerAlone(Path copy) throws java.io.IOException {
        PosixFileAttributes attributes = Files.readAttributes(copy, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertTrue(attributes.isRegularFile(), copy + " is a regular file");
        assertEquals("r--------", PosixFilePermissions.toString(attributes.permissions()), "mode 0400");
        assertEquals("nobody", attributes.owner().getName());
        assertEquals("nogroup", attributes.group().getName());
    }

    @Test
    void aLinkWhereTheCopyGoesIsRefusedAndItsTargetLeftAlone() throws Exception {
        Path source = Files.write(dir.resolve("binary_bios_measurements"), new byte[] {1, 2, 3});
        Path victim = Files.write(dir.resolve("victim"), new byte[] {9});
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        Path run = Files.createDirectories(dir.resolve("run"));
        Path copy = Files.createSymbolicLink(run.resolve("binary_bios_measurements"), victim);
        Command.Result r = Command.of("sh", SCRIPT.toString(), source.toString(), copy.toString(), "nobody:nogroup").run();
        assertFalse(r.succeeded(), r.describe());
        assertTrue(r.describe().contains("is a symbolic link"), r.describe());
        assertTrue(Files.isSymbolicLink(copy), "the link is left for someone to look at");
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(victim));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals(Files.getOwner(dir), Files.getOwner(victim), "the link's target was not given to the agent");
    }

    @Test
    void withoutALogTheStepSucceedsAndLeavesNoStaleCopy() throws Exception {
        Path copy = Files.write(dir.resolve("binary_bios_measurements"), new byte[] {1});
        Command.Result r = Command.of("sh", SCRIPT.toString(), dir.resolve("absent").toString(), copy.toString(),
                "nobody:nogroup").run();
        assertTrue(r.succeeded(), r.describe());
        assertFalse(Files.exists(copy), "a log of an earlier boot must not be sent for this one");
    }

    @Test
    void onlyThatStepIsPrivilegedAndTheServiceKeepsItsRestrictions() {
        String unit = Host.read(UNIT);
        assertTrue(unit.contains("\nExecStartPre=+/usr/share/station-agent/copy-boot-event-log\n"), unit);
        assertTrue(unit.contains("\nRuntimeDirectory=station-agent\nRuntimeDirectoryMode=0700\n"), unit);
        assertEquals(1, unit.split("=\\+").length - 1, "one privileged command");
        for (String kept : new String[] {"NoNewPrivileges=yes", "CapabilityBoundingSet=\n", "AmbientCapabilities=\n",
                "ProtectSystem=strict", "User=station-agent", "ProtectKernelTunables=yes", "DevicePolicy=closed"}) {
            assertTrue(unit.contains(kept), kept);
        }
        assertFalse(unit.contains("/sys/kernel/security"), "the service itself is given no access to securityfs");
    }
}
