package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A TPM device the service user may not open, proven with a real unprivileged process: the test
 * runs as root (which may open anything), so it starts a JVM as {@code nobody} through setpriv.
 */
class KernelDeviceAccessTest {

    @Test
    void aDeviceTheServiceUserMayNotOpenIsAccessDeniedTellingToJoinTheTssGroup() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to start an unprivileged process");
        Path dir = Files.createTempDirectory("tpm-access");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path classes = dir.resolve("classes");
            copyTree(codeSource(TpmConnection.class), classes);
            copyTree(codeSource(KernelDeviceAccessProbe.class), classes);
            Path tss = dir.resolve("tss.jar");
            Files.copy(codeSource(tss.TpmDevice.class), tss);
            Path device = Files.write(dir.resolve("tpmrm0"), new byte[0]);
            Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rw-rw----")); // root:root, like tss:tss
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.filter(p -> !p.equals(device)).toList()) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            Process child = new ProcessBuilder(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Duser.name=nobody",
                    "-cp", classes + ":" + tss, KernelDeviceAccessProbe.class.getName(), device.toString()))
                    .redirectErrorStream(true).start();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the unprivileged probe finished");
            String said = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, child.exitValue(), said);
            assertTrue(said.startsWith("TpmAccessDenied: permission denied on " + device), said);
            assertTrue(said.contains("add the service user to the tss group (usermod -aG tss nobody)"), said);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
