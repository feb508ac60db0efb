package org.stationtrust.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's steps as they happen: each is announced, its details are printed, and its outcome is
 * recorded. The first failing step ends the story; the steps after it are reported as not run.
 */
final class Story {
    /** One step's outcome. */
    record Step(String name, Outcome outcome, String detail, long millis) {
        boolean passed() {
            return outcome == Outcome.PASSED;
        }
    }

    enum Outcome { PASSED, FAILED, NOT_RUN }

    /** A step's work; returns the one-line result shown in the summary. */
    interface Work {
        String run() throws Exception;
    }

    /** Raised by {@link #step} when a step failed: the story stops there. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailed(String step, Throwable cause) {
            super("step '" + step + "' failed: " + cause.getMessage(), cause);
        }
    }

    private final PrintStream out;
    private final List<String> planned;
    private final List<Step> done = new ArrayList<>();

    Story(PrintStream out, List<String> planned) {
        this.out = out;
        this.planned = List.copyOf(planned);
    }

    void step(String name, Work work) throws StepFailed {
        if (!planned.contains(name)) {
            throw new IllegalArgumentException("unplanned step '" + name + "'");
        }
        out.printf("%n[%d/%d] %s%n", planned.indexOf(name) + 1, planned.size(), name);
        long start = System.nanoTime();
        try {
            String result = work.run();
            long ms = (System.nanoTime() - start) / 1_000_000;
            done.add(new Step(name, Outcome.PASSED, result, ms));
            out.printf("      ok (%d ms): %s%n", ms, result);
        } catch (Exception | LinkageError e) { // LinkageError: a part missing from the classpath is a failed step too
            long ms = (System.nanoTime() - start) / 1_000_000;
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            done.add(new Step(name, Outcome.FAILED, reason, ms));
            out.printf("      FAILED (%d ms): %s%n", ms, reason);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StepFailed(name, e);
        }
    }

    /** A detail line under the current step. */
    void say(String format, Object... args) {
        out.printf("      " + format + "%n", args);
    }

    /** Every planned step in order with its outcome; the ones never reached are NOT_RUN. */
    List<Step> steps() {
        List<Step> all = new ArrayList<>();
        for (String name : planned) {
            all.add(done.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElse(new Step(name, Outcome.NOT_RUN, "not reached", 0)));
        }
        return all;
    }

    void summary(long totalMs) {
        out.printf("%n=== summary (%.1f s) ===%n", totalMs / 1000.0);
        for (Step s : steps()) {
            out.printf("  %-8s %-52s %s%n", s.outcome() == Outcome.NOT_RUN ? "not run" : s.outcome().name().toLowerCase(),
                    s.name(), s.outcome() == Outcome.NOT_RUN ? "" : s.detail());
        }
    }
}
