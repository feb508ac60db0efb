package org.stationtrust.tpm.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locating the swtpm programs and reading their logs. */
final class Programs {
    static final String INSTALL_HINT = "install it with `apt-get install -y swtpm swtpm-tools` (as root)";

    private Programs() {
    }

    /** Finds a program on PATH, or fails with the command that installs it. */
    static String require(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/bin:/usr/local/bin";
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new SoftwareTpmException(name + " is not installed (not found on PATH); " + INSTALL_HINT);
    }

    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() <= 600 ? text : "..." + text.substring(text.length() - 600);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
