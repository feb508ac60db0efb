package org.stationtrust.agent.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Runs a system command (mount, umount, chmod) for a fault test and tells its exit code; -1 if it hung. */
public final class Commands {
    private Commands() {
    }

    public static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS)) {
            return p.exitValue();
        }
        p.destroyForcibly();
        return -1;
    }
}
