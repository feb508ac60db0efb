package org.stationtrust.installer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The installed systemd unit, read from its file, and a way to start its command as systemd would
 * when systemd is not PID 1 (this sandbox, CI containers): as User= with Group= and
 * SupplementaryGroups=, no capabilities, no new privileges, UMask=, working directory /, and only the
 * environment systemd gives a service plus the unit's Environment= lines.
 *
 * <p>Where the machine allows a private mount namespace ({@code unshare -m}), the file-system part of
 * the sandbox is reproduced too: ProtectSystem=strict (every mount read-only except /dev, /proc, /sys
 * and ReadWritePaths=), ProtectHome=yes (empty read-only /home, /root, /run/user) and PrivateTmp=yes
 * (fresh /tmp and /var/tmp). The device ACL and the system-call filter need systemd itself.
 */
record ServiceUnit(String user, String group, List<String> supplementaryGroups, String umask,
                   Map<String, String> environment, List<String> execStart, String stateDirectory, String logsDirectory,
                   List<Integer> restartPreventExitStatus, List<Integer> successExitStatus,
                   List<String> readWritePaths, boolean protectSystemStrict, boolean protectHome, boolean privateTmp) {

    /** Whether this machine lets root make a private mount namespace; checked once. */
    static final boolean FILE_SYSTEM_SANDBOX = Command.of("unshare", "-m", "true").run().succeeded();

    static ServiceUnit installed(Packages.Program program) {
        return parse(Host.read(program.unitFile()));
    }

    static ServiceUnit parse(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("[")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new AssertionError("not a unit setting: " + line);
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("Environment")) {
                for (String assignment : value.split(" ")) {
                    String[] kv = assignment.replace("\"", "").split("=", 2);
                    environment.put(kv[0], kv[1]);
                }
            } else {
                settings.put(key, value);
            }
        }
        String user = require(settings, "User");
        return new ServiceUnit(user, settings.getOrDefault("Group", user),
                words(settings, "SupplementaryGroups"), settings.getOrDefault("UMask", "0022"), environment,
                words(settings, "ExecStart"),
                "/var/lib/" + require(settings, "StateDirectory"),
                settings.containsKey("LogsDirectory") ? "/var/log/" + settings.get("LogsDirectory") : null,
                words(settings, "RestartPreventExitStatus").stream().map(Integer::valueOf).toList(),
                words(settings, "SuccessExitStatus").stream().map(Integer::valueOf).toList(),
                words(settings, "ReadWritePaths"),
                "strict".equals(settings.get("ProtectSystem")), "yes".equals(settings.get("ProtectHome")),
                "yes".equals(settings.get("PrivateTmp")));
    }

    /** The unit's own ExecStart, started the way the unit would start it, run to its end. */
    Command start(Map<String, String> extraEnvironment) {
        return command(execStart, extraEnvironment);
    }

    /** The unit's ExecStart as a long-running process, both streams into {@code log}. */
    Process launch(Map<String, String> extraEnvironment, Path log) throws IOException {
        Command c = start(extraEnvironment);
        ProcessBuilder builder = new ProcessBuilder(c.argv()).directory(c.directory().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(c.environment());
        return builder.start();
    }

    /** Another agent command (doctor, status...) with exactly the service's identity and environment. */
    Command command(List<String> argv) {
        return command(argv, Map.of());
    }

    Command command(List<String> argv, Map<String, String> extraEnvironment) {
        List<String> full = new ArrayList<>();
        if (FILE_SYSTEM_SANDBOX) full.addAll(List.of("unshare", "-m", "sh", "-c", fileSystemSandbox(), "sandbox"));
        full.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + group,
                supplementaryGroups.isEmpty() ? "--clear-groups" : "--groups=" + String.join(",", supplementaryGroups), "--no-new-privs", "--inh-caps=-all",
                "--bounding-set=-all", "--", "/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        full.addAll(argv);
        Map<String, String> env = new LinkedHashMap<>();
        // What systemd sets for a system service with User= (systemd.exec(5), "Environment variables in spawned processes").
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("USER", user);
        env.put("LOGNAME", user);
        env.put("HOME", stateDirectory);
        env.put("SHELL", "/usr/sbin/nologin");
        env.put("STATE_DIRECTORY", stateDirectory);
        if (logsDirectory != null) env.put("LOGS_DIRECTORY", logsDirectory);
        env.putAll(environment);
        env.putAll(extraEnvironment);
        return new Command(full, env, true, Path.of("/"), Duration.ofSeconds(90));
    }

    /** Shell run as root in the new mount namespace before it drops to the service user. */
    private String fileSystemSandbox() {
        StringBuilder s = new StringBuilder("set -e\nmount --make-rprivate /\n");
        List<String> keep = new ArrayList<>(List.of("/dev", "/proc", "/sys"));
        if (protectSystemStrict) {
            for (String rw : readWritePaths) {
                s.append("mount --bind '").append(rw).append("' '").append(rw).append("'\n");
                keep.add(rw);
            }
        }
        if (privateTmp) {
            for (String tmp : List.of("/tmp", "/var/tmp")) {
                s.append("mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs ").append(tmp).append('\n');
                keep.add(tmp);
            }
        }
        if (protectHome) {
            for (String home : List.of("/home", "/root", "/run/user")) {
                s.append("if [ -d ").append(home).append(" ]; then mount -t tmpfs -o ro,mode=0755 tmpfs ").append(home).append("; fi\n");
                keep.add(home);
            }
        }
        if (protectSystemStrict) {
            StringBuilder cases = new StringBuilder();
            for (String k : keep) cases.append(cases.length() == 0 ? "" : "|").append(k).append('|').append(k).append("/*");
            s.append("awk '{print $5}' /proc/self/mountinfo | while read -r m; do\n  case \"$m\" in\n    ")
                    .append(cases).append(") ;;\n    *) mount -o remount,bind,ro \"$m\" ;;\n  esac\ndone\n");
        }
        return s.append("exec \"$@\"\n").toString();
    }

    private static List<String> words(Map<String, String> settings, String key) {
        return Arrays.stream(settings.getOrDefault(key, "").split(" ")).filter(w -> !w.isBlank()).toList();
    }

    private static String require(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) throw new AssertionError("the unit has no " + key + "=");
        return value;
    }
}
