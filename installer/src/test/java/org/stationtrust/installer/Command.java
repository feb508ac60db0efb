package org.stationtrust.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One host command run to completion (dpkg, lintian, gpg, the installed station-agent...), with a timeout. */
record Command(List<String> argv, Map<String, String> environment, boolean clearEnvironment, Path directory, Duration timeout,
               String input) {

    Command(List<String> argv, Map<String, String> environment, boolean clearEnvironment, Path directory, Duration timeout) {
        this(argv, environment, clearEnvironment, directory, timeout, null);
    }

    /** What the command did: exit status and both streams, whole. */
    record Result(List<String> argv, int exit, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }

        boolean succeeded() {
            return exit == 0;
        }

        /** A readable account for assertion messages. */
        String describe() {
            return String.join(" ", argv) + " exited " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }

        Result requireSuccess() {
            if (exit != 0) throw new AssertionError("expected success: " + describe());
            return this;
        }
    }

    static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), false, null, Duration.ofSeconds(120));
    }

    Command withEnvironment(Map<String, String> extra) {
        return new Command(argv, extra, clearEnvironment, directory, timeout, input);
    }

    /** Text on the command's standard input (otherwise it reads /dev/null). */
    Command withInput(String text) {
        return new Command(argv, environment, clearEnvironment, directory, timeout, text);
    }

    Command timeout(Duration limit) {
        return new Command(argv, environment, clearEnvironment, directory, limit, input);
    }

    Result run() {
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (clearEnvironment) builder.environment().clear();
        builder.environment().putAll(environment);
        if (directory != null) builder.directory(directory.toFile());
        if (input == null) builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process process = builder.start();
            if (input != null) {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Result(argv, process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + argv.get(0), e);
        }
    }

    // Own daemon threads: the common pool has one thread on two cores, and stdout and stderr must be
    // read at the same time or a chatty command blocks on a full pipe.
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "command-output");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }, READERS);
    }
}
