package org.stationtrust.installer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The installed systemd unit, read from its file, and a way to start its command as systemd would
 * when systemd is not PID 1 (this sandbox, CI containers): as User= with Group= and
 * SupplementaryGroups=, no capabilities, no new privileges, UMask=, working directory /, and only the
 * environment systemd gives a service plus the unit's Environment= lines. What this cannot
 * reproduce is the mount, device and system-call sandbox (ProtectSystem=, DeviceAllow=,
 * SystemCallFilter=): those need systemd itself.
 */
record ServiceUnit(String user, String group, List<String> supplementaryGroups, String umask,
                   Map<String, String> environment, List<String> execStart, String stateDirectory, String logsDirectory,
                   List<Integer> restartPreventExitStatus, List<Integer> successExitStatus) {

    static final Path INSTALLED = Path.of("/usr/lib/systemd/system/station-agent.service");

    static ServiceUnit installed() {
        return parse(Host.read(INSTALLED));
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
                List.of(settings.getOrDefault("SupplementaryGroups", "").split(" ")),
                settings.getOrDefault("UMask", "0022"), environment,
                List.of(require(settings, "ExecStart").split(" ")),
                "/var/lib/" + require(settings, "StateDirectory"), "/var/log/" + require(settings, "LogsDirectory"),
                statuses(settings, "RestartPreventExitStatus"), statuses(settings, "SuccessExitStatus"));
    }

    private static List<Integer> statuses(Map<String, String> settings, String key) {
        return java.util.Arrays.stream(settings.getOrDefault(key, "").split(" "))
                .filter(v -> !v.isBlank()).map(Integer::valueOf).toList();
    }

    private static String require(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) throw new AssertionError("the unit has no " + key + "=");
        return value;
    }

    /** The unit's own ExecStart, started the way the unit would start it, run to its end. */
    Command start(Map<String, String> extraEnvironment) {
        return command(execStart, extraEnvironment);
    }

    /** The unit's ExecStart as a long-running process, both streams into {@code log}. */
    Process launch(Map<String, String> extraEnvironment, Path log) throws java.io.IOException {
        Command c = start(extraEnvironment);
        ProcessBuilder builder = new ProcessBuilder(c.argv()).directory(c.directory().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(c.environment());
        return builder.start();
    }

    /** Another agent command (doctor, status...) with exactly the service's identity and environment. */
    Command command(List<String> argv) {
        return command(argv, Map.of());
    }

    Command command(List<String> argv, Map<String, String> extraEnvironment) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group,
                "--groups=" + String.join(",", supplementaryGroups), "--no-new-privs", "--inh-caps=-all",
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
        env.put("LOGS_DIRECTORY", logsDirectory);
        env.putAll(environment);
        env.putAll(extraEnvironment);
        return new Command(full, env, true, Path.of("/"), Duration.ofSeconds(90));
    }
}
