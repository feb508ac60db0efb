package org.stationtrust.installer;

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

    static Packages.Built built;

    @BeforeAll
    static void buildAndForgetTheServiceUser() {
        Host.assumeCanInstallPackages();
        assumeTrue(Command.of("unshare", "-m", "true").run().succeeded(),
                "this machine does not allow a private mount namespace (unshare -m), which hides the systemd tools here");
        Host.takeMachine();
        Host.requireAbsent(STATION_AGENT);
        built = Packages.unsigned(STATION_AGENT, Packages.debianVersion());
        // An earlier purge leaves the user, as policy asks; remove it so that postinst has to create it.
        if (Command.of("getent", "passwd", "station-agent").run().succeeded()) {
            Command.of("userdel", "station-agent").run().requireSuccess();
        }
        if (Command.of("getent", "group", "station-agent").run().succeeded()) {
            Command.of("groupdel", "station-agent").run().requireSuccess();
        }
    }

    @AfterAll
    static void purge() {
        try {
            if (Host.isRoot() && Host.hasCommand("dpkg")) Host.purge(STATION_AGENT);
        } finally {
            Host.releaseMachine();
        }
    }

    @Test
    void withoutSystemdToolsInstallCreatesTheSameUserGroupsAndDirectoriesAndCanRunTwice() throws IOException {
        for (int round = 1; round <= 2; round++) {
            Command.Result install = Command.of("unshare", "-m", "sh", "-c", HIDE_SYSTEMD_TOOLS, "sh",
                    "dpkg", "-i", built.deb().toString()).run();
            assertEquals(0, install.exit(), "round " + round + ": " + install.describe());
            String expected = round == 1 ? "station-agent enroll --server URL --token T" : "reinstalled " + built.version();
            assertTrue(install.output().contains(expected), install.describe());
        }
        String[] passwd = Command.of("getent", "passwd", "station-agent").run().requireSuccess().stdout().trim().split(":");
        assertEquals("/var/lib/station-agent", passwd[5]);
        assertEquals("/usr/sbin/nologin", passwd[6]);
        assertTrue(Integer.parseInt(passwd[2]) < 1000, "a system uid: " + passwd[2]);
        List<String> groups = List.of(Command.of("id", "-nG", "station-agent").run().requireSuccess().stdout().trim().split(" "));
        assertEquals(List.of("station-agent", "tss"), groups.stream().sorted().toList());
        Host.assertOwnerAndMode(Path.of("/var/lib/station-agent"), "station-agent", "station-agent", "rwx------");
        Host.assertOwnerAndMode(Path.of("/var/log/station-agent"), "station-agent", "station-agent", "rwx------");
        Host.assertOwnerAndMode(Path.of("/etc/station-agent/agent.yaml"), "root", "station-agent", "rw-r-----");
    }
}
