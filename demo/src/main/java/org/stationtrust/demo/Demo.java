package org.stationtrust.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code bash scripts/demo}: the whole story of station-trust on one machine, on embedded defaults, in a
 * fresh work directory (default: a new temporary directory, printed first; {@code --work-dir DIR} to choose).
 * Exit code 0 when every step passed and nothing the demo started is left running, 1 otherwise.
 */
public final class Demo {
    static final String NOTHING_LEFT = "nothing left running";
    /** Every process the demo started, so that a shutdown hook can stop them if the demo is interrupted. */
    static final Set<ProcessHandle> CHILDREN = ConcurrentHashMap.newKeySet();

    private Demo() {
    }

    public static void main(String[] args) throws IOException {
        Path work;
        if (args.length == 2 && "--work-dir".equals(args[0])) {
            work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        } else if (args.length == 0) {
            work = Files.createTempDirectory("station-trust-demo-");
        } else {
            System.err.println("usage: Demo [--work-dir DIR]   (default: a new temporary directory)");
            System.exit(2);
            return;
        }
        DemoResult result = run(work, System.out);
        System.exit(result.passed() ? 0 : 1);
    }

    /** Runs the whole story in {@code work} (must be fresh), printing each step to {@code out}. */
    public static DemoResult run(Path work, PrintStream out) {
        List<String> planned = new ArrayList<>(DemoRun.STEPS);
        planned.add(NOTHING_LEFT);
        Story story = new Story(out, planned);
        out.println("station-trust demo: every part runs on this machine, on 127.0.0.1, in " + work);
        long start = System.nanoTime();
        DemoRun run = new DemoRun(work, story);
        Thread hook = new Thread(() -> {
            run.close();
            CHILDREN.forEach(ProcessHandle::destroyForcibly);
        }, "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run.tell();
        } catch (Story.StepFailed e) {
            out.println("      the story stops here; logs are in " + work);
        } finally {
            run.close();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        List<String> leftovers = new ArrayList<>();
        try {
            story.step(NOTHING_LEFT, () -> {
                leftovers.addAll(awaitNoProcessOf(work));
                if (!leftovers.isEmpty()) {
                    throw new IllegalStateException("still running: " + leftovers);
                }
                return "server, agent, swtpm and devices stopped; no process mentions " + work;
            });
        } catch (Story.StepFailed e) {
            // reported in the summary
        }
        long totalMs = (System.nanoTime() - start) / 1_000_000;
        story.summary(totalMs);
        out.println("work directory (logs, databases, CTK reports): " + work);
        return new DemoResult(work, story.steps(), leftovers, run.ctkReports, run.serverRssKb, run.agentRssKb, totalMs);
    }

    /** Processes started by the demo that are still alive, or whose command line names the work directory. */
    private static List<String> awaitNoProcessOf(Path work) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> alive;
        do {
            alive = new ArrayList<>();
            for (ProcessHandle p : CHILDREN) {
                if (p.isAlive()) {
                    alive.add(describe(p));
                }
            }
            ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(Demo::describe).forEach(alive::add);
            String marker = work.toString();
            Set<Long> ancestors = new java.util.HashSet<>();
            for (var p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
                ancestors.add(p.get().pid());
            }
            ProcessHandle.allProcesses().filter(p -> !ancestors.contains(p.pid()))
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .map(Demo::describe).forEach(alive::add);
            if (alive.isEmpty()) {
                return alive;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return alive.stream().distinct().toList();
    }

    private static String describe(ProcessHandle p) {
        return p.pid() + " " + p.info().command().orElse("?");
    }
}
