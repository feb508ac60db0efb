package org.stationtrust.installer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One lintian run over a package: its tags by severity (E error, W warning, I info, P pedantic). */
record LintianRun(String output) {

    static LintianRun of(Path deb) {
        ensureInstalled();
        // --pedantic shows every tag; the overrides shipped in the package apply, each with its reason.
        Command.Result r = Command.of("lintian", "--pedantic", "--no-tag-display-limit", deb.toString())
                .timeout(Duration.ofMinutes(3)).run();
        // lintian exits 1 when it reports errors, 2 when it could not run at all.
        if (r.exit() > 1) throw new AssertionError("lintian could not check the package: " + r.describe());
        return new LintianRun(r.stdout());
    }

    List<String> tagsOfSeverity(String severity) {
        return output.lines().filter(l -> l.startsWith(severity + ": ")).toList();
    }

    /**
     * lintian is a Debian package like dpkg-deb; CI (root) gets it the way scripts/setup gets the other
     * tools, with apt-get. A non-root run without it skips the check and says what to install.
     */
    private static void ensureInstalled() {
        if (Host.hasCommand("lintian")) return;
        org.junit.jupiter.api.Assumptions.assumeTrue(Host.isRoot(),
                "lintian is missing and only root can install it: sudo apt-get install -y lintian (CI, as root, installs it)");
        Map<String, String> quiet = Map.of("DEBIAN_FRONTEND", "noninteractive");
        Command install = Command.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "lintian")
                .withEnvironment(quiet).timeout(Duration.ofMinutes(5));
        if (!install.run().succeeded()) {
            // A fresh machine may have no package lists yet.
            Command.of("apt-get", "update", "-qq").withEnvironment(quiet).timeout(Duration.ofMinutes(5)).run().requireSuccess();
            install.run().requireSuccess();
        }
    }
}
