package org.stationtrust.agent.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.InvalidConfiguration;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.config.StateDirectory;

/**
 * api.token_group lets the registration application's group read the local API token (0640, state directory
 * 0710), and nothing else of the state directory; without it the token stays 0600 in a 0700 directory.
 */
class ApiTokenGroupTest {
    /** Present on Debian; tests that change a file's group run as root (the build machine does). */
    private static final String GROUP = "daemon";
    private static final String GROUP_ID = "1";
    @TempDir Path dir;

    private static PosixFileAttributes attributes(Path p) throws Exception {
        return Files.readAttributes(p, PosixFileAttributes.class);
    }

    /** Runs a command as the unprivileged user 65534, with or without the token group; returns exit code and output. */
    private static String[] runAsNobody(boolean inGroup, String... command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534"));
        argv.add(inGroup ? "--groups=" + GROUP_ID : "--clear-groups");
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "setpriv did not finish");
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    @Test
    void withoutAGroupTheTokenIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        Path state = dir.resolve("state");
        StateDirectory.open(state, Optional.empty());
        ApiToken.loadOrCreate(state, Optional.empty());
        assertEquals("rw-------", PosixFilePermissions.toString(attributes(state.resolve(ApiToken.FILE_NAME)).permissions()));
        assertEquals("rwx------", PosixFilePermissions.toString(attributes(state).permissions()));
    }

    @Test
    void theTokenGroupCanReadTheTokenAndNothingElseOfTheStateDirectory() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a file's group to " + GROUP + " needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = dir.resolve("state");
        StateDirectory.open(state, Optional.of(GROUP));
        ApiToken token = ApiToken.loadOrCreate(state, Optional.of(GROUP));
        StateDirectory.writePrivate(state.resolve("queue-secret"), "not for the application".getBytes(StandardCharsets.US_ASCII));

        Path file = state.resolve(ApiToken.FILE_NAME);
        assertEquals("rw-r-----", PosixFilePermissions.toString(attributes(file).permissions()));
        assertEquals(GROUP, attributes(file).group().getName());
        assertEquals("rwx--x---", PosixFilePermissions.toString(attributes(state).permissions()));
        assertEquals(GROUP, attributes(state).group().getName());
        assertEquals(token.reveal(), ApiToken.loadOrCreate(state, Optional.of(GROUP)).reveal(), "same token on restart");

        String[] member = runAsNobody(true, "cat", file.toString());
        assertEquals("0", member[0], member[1]);
        assertEquals(token.reveal(), member[1].trim(), "a member of the group reads the token");
        assertNotEquals("0", runAsNobody(false, "cat", file.toString())[0], "someone outside the group cannot");
        assertNotEquals("0", runAsNobody(true, "ls", state.toString())[0], "the group cannot list the directory");
        assertNotEquals("0", runAsNobody(true, "cat", state.resolve("queue-secret").toString())[0],
                "nor read the other files");

        // Removing the setting makes the directory owner-only again at the next start.
        StateDirectory.open(state, Optional.empty());
        assertEquals("rwx------", PosixFilePermissions.toString(attributes(state).permissions()));
    }

    @Test
    void anUnknownOrMalformedTokenGroupIsRefusedByName() throws Exception {
        for (String group : new String[] {"no-such-group-here", "bad group!"}) {
            Path yaml = dir.resolve("agent.yaml");
            Files.writeString(yaml, "mode: development\nstate_dir: " + dir.resolve("s") + "\napi:\n  token_group: \""
                    + group + "\"\n");
            InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(Map.of()).load(yaml));
            assertTrue(e.problems().stream().anyMatch(p -> p.key().equals("api.token_group")), e.problems().toString());
        }
        Path yaml = dir.resolve("ok.yaml");
        Files.writeString(yaml, "mode: development\nstate_dir: " + dir.resolve("s") + "\napi:\n  token_group: " + GROUP + "\n");
        assertEquals(Optional.of(GROUP), new ConfigLoader(Map.of()).load(yaml).api().tokenGroup());
    }
}
