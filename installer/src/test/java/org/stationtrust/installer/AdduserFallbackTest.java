package org.stationtrust.installer;

import static org.stationtrust.installer.Packages.Program.SERVER_ENROLL;
import static org.stationtrust.installer.Packages.Program.STATION_AGENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.stationtrust.installer.Packages.Program.STATION_AGENT;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A machine without systemd-sysusers and systemd-tmpfiles (a minimal or non-systemd install): postinst
 * falls back to addgroup/adduser and mkdir/chown/chmod and ends in the same state. The two tools are
 * hidden only inside a private mount namespace (unshare -m), so the host keeps them.
 */
class AdduserFallbackTest {
    private static final String HIDE_SYSTEMD_TOOLS = "mount --bind /dev/null /usr/bin/systemd-sysusers"
            + " && mount --bind /dev/null /usr/bin/systemd-tmpfiles && exec \"$@\"";

    @BeforeAll
    static void takeTheMachine() {
        Host.assumeCanInstallPackages();
        assumeTrue(Command.of("unshare", "-m", "true").run().succeeded(),
                "this machine does not allow a private mount namespace (unshare -m), which hides the systemd tools here");
        Host.takeMachine();
    }

    /** Builds the package and removes its service user, which an earlier purge leaves (as policy asks), so postinst must create it. */
    private static Packages.Built buildAndForgetTheServiceUser(Packages.Program program) {
        Host.requireAbsent(program);
        Packages.Built built = Packages.unsigned(program, Packages.debianVersion());
        if (Command.of("getent", "passwd", program.name).run().succeeded()) {
            Command.of("userdel", program.name).run().requireSuccess();
        }
        if (Command.of("getent", "group", program.name).run().succeeded()) {
            Command.of("groupdel", program.name).run().requireSuccess();
        }
        return built;
    }

    /** dpkg -i twice with systemd-sysusers and systemd-tmpfiles hidden; returns the passwd entry it made. */
    private static String[] installTwiceWithoutSystemdTools(Packages.Built built, String firstInstallSays) {
        for (int round = 1; round <= 2; round++) {
            Command.Result install = Command.of("unshare", "-m", "sh", "-c", HIDE_SYSTEMD_TOOLS, "sh",
                    "dpkg", "-i", built.deb().toString()).run();
            assertEquals(0, install.exit(), "round " + round + ": " + install.describe());
            String expected = round == 1 ? firstInstallSays : "reinstalled " + built.version();
            assertTrue(install.output().contains(expected), install.describe());
        }
        String name = built.program().name;
        String[] passwd = Command.of("getent", "passwd", name).run().requireSuccess().stdout().trim().split(":");
        assertEquals("/var/lib/" + name, passwd[5]);
        assertEquals("/usr/sbin/nologin", passwd[6]);
        assertTrue(Integer.parseInt(passwd[2]) < 1000, "a system uid: " + passwd[2]);
        return passwd;
    }

    @AfterAll
    static void purge() {
        try {
            if (Host.isRoot() && Host.hasCommand("dpkg")) {
                Host.purge(STATION_AGENT);
                Host.purge(SERVER_ENROLL);
            }
        } finally {
            Host.releaseMachine();
        }
    }

    @Test
    void withoutSystemdToolsTheAgentsInstallCreatesTheSameUserGroupsAndDirectoriesAndCanRunTwice() throws IOException {
        installTwiceWithoutSystemdTools(buildAndForgetTheServiceUser(STATION_AGENT), "station-agent enroll --server URL --token-file FILE");
        List<String> groups = List.of(Command.of("id", "-nG", "station-agent").run().requireSuccess().stdout().trim().split(" "));
        assertEquals(List.of("station-agent", "tss"), groups.stream().sorted().toList());
        Host.assertOwnerAndMode(Path.of("/var/lib/station-agent"), "station-agent", "station-agent", "rwx------");
        Host.assertOwnerAndMode(Path.of("/var/log/station-agent"), "station-agent", "station-agent", "rwx------");
        Host.assertOwnerAndMode(Path.of("/etc/station-agent/agent.yaml"), "root", "station-agent", "rw-r-----");
    }

    @Test
    void withoutSystemdToolsTheServersInstallCreatesTheSameUserDirectoriesAndNonceKeyAndCanRunTwice() throws IOException {
        installTwiceWithoutSystemdTools(buildAndForgetTheServiceUser(SERVER_ENROLL), "server-enroll migrate");
        assertEquals(List.of("server-enroll"),
                List.of(Command.of("id", "-nG", "server-enroll").run().requireSuccess().stdout().trim().split(" ")));
        Host.assertOwnerAndMode(Path.of("/var/lib/server-enroll"), "server-enroll", "server-enroll", "rwx------");
        Host.assertOwnerAndMode(Path.of("/etc/server-enroll/secrets"), "server-enroll", "server-enroll", "rwx------");
        Host.assertOwnerAndMode(Path.of("/etc/server-enroll/secrets/nonce-key"), "server-enroll", "server-enroll", "rw-------");
        Host.assertOwnerAndMode(Path.of("/etc/server-enroll/server-enroll.conf"), "root", "server-enroll", "rw-r-----");
    }
}
