package org.stationtrust.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java program of ours run as its own process with the demo's classpath, as it runs on a real laptop
 * or server: its output goes to a log file and can be watched for a line. {@link #close} stops it (SIGTERM,
 * then SIGKILL) together with anything it started.
 */
final class ChildJava implements AutoCloseable {
    static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xss512k");
    private static final String END = "\u0000end";

    private final String name;
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;
    private final java.util.Deque<String> recent = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private ChildJava(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The output and exit code of a command that runs to its end. */
    record Outcome(int exitCode, List<String> lines) {
        String lastLine() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** Runs a command to its end; its output is returned, never logged (it may hold a token). */
    static Outcome run(Duration timeout, Map<String, String> env, String mainClass, String... args)
            throws IOException, InterruptedException {
        // a short command: the quick JIT tier starts faster and is enough for it
        Process p = builder(List.of("-XX:TieredStopAtLevel=1"), env, mainClass, args).redirectErrorStream(true).start();
        Demo.CHILDREN.add(p.toHandle());
        try {
            List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> readLines(p, out::add), "child-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(mainClass + " " + String.join(" ", args) + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            reader.join(5000);
            synchronized (out) {
                return new Outcome(p.exitValue(), List.copyOf(out));
            }
        } finally {
            stop(p);
        }
    }

    /** Starts a long-running program; its output is written to {@code log}. */
    static ChildJava start(String name, Path log, Map<String, String> env, String mainClass, String... args)
            throws IOException {
        Process p = builder(List.of(), env, mainClass, args).redirectErrorStream(true).start();
        Demo.CHILDREN.add(p.toHandle());
        ChildJava child = new ChildJava(name, p, log);
        Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (writer) {
                readLines(p, line -> {
                    child.lines.add(line);
                    child.recent.addLast(line);
                    if (child.recent.size() > 5) {
                        child.recent.pollFirst();
                    }
                    try {
                        writer.write(line);
                        writer.write('\n');
                        writer.flush();
                    } catch (IOException e) {
                        // the log file is a convenience; the line was already queued
                    }
                });
            } catch (IOException e) {
                // closing the log failed: nothing left to do
            }
            child.lines.add(END);
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    private static ProcessBuilder builder(List<String> extraFlags, Map<String, String> env, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(classpathFor(mainClass));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // hermetic: settings of an agent or server installed on this machine must not leak into the demo
        pb.environment().keySet().removeIf(k -> k.startsWith("STATION_AGENT_") || k.startsWith("SERVER_"));
        pb.environment().putAll(env);
        return pb;
    }

    /**
     * The demo's classpath with the program's own jar first: each module configures its own logging (the
     * agent's logback.xml redacts every line), and the first logback.xml on the classpath is the one used.
     */
    static String classpathFor(String mainClass) {
        String classpath = demoClasspath();
        try {
            var source = Class.forName(mainClass, false, ChildJava.class.getClassLoader()).getProtectionDomain().getCodeSource();
            if (source == null) {
                return classpath;
            }
            String own = Path.of(source.getLocation().toURI()).toString();
            List<String> entries = new ArrayList<>(List.of(classpath.split(java.io.File.pathSeparator)));
            entries.remove(own);
            entries.add(0, own);
            return String.join(java.io.File.pathSeparator, entries);
        } catch (ClassNotFoundException | java.net.URISyntaxException e) {
            throw new IllegalStateException(mainClass + " is not on the demo's classpath; rebuild with "
                    + "mvn -B -q install -DskipTests", e);
        }
    }

    /**
     * The classpath the demo itself was loaded from: {@code java.class.path} when started with {@code java -cp}
     * (or by surefire), the class loader's URLs when a launcher loaded it ({@code mvn exec:java}).
     */
    private static String demoClasspath() {
        if (ChildJava.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("cannot use classpath entry " + url + " for a child process", e);
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static void readLines(Process p, java.util.function.Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process ended or was stopped
        }
    }

    /** Waits for an output line matching {@code pattern}; fails if the program ends first or time runs out. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException(name + " printed no line matching '" + pattern + "' within "
                        + timeout.toSeconds() + " s; see " + log);
            }
            if (END.equals(line)) {
                throw new IllegalStateException(name + " ended before printing '" + pattern + "'; see " + log
                        + "; it ended with: " + String.join(" | ", recent));
            }
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Resident memory of the process now, in KiB (Linux /proc). */
    long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS line for process " + process.pid());
    }

    /** Stops the program as systemd would (SIGTERM, its shutdown hooks run); returns its exit code. */
    int stopGracefully() throws InterruptedException {
        stop(process);
        return process.exitValue();
    }

    @Override
    public void close() {
        stop(process);
    }

    static void stop(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
