package org.stationtrust.agent.internal.api;

import java.util.function.Supplier;

/**
 * Where a capture reports its timing: the one interface the capture code sees, so measuring stays out of its logic.
 * The local API's {@link CaptureSteps} answers it in {@code Server-Timing} and the metrics; {@link #NONE} measures
 * nothing.
 */
public interface CaptureProbe {
    /** Measures nothing. */
    CaptureProbe NONE = new CaptureProbe() {
        @Override
        public void mark(String step) {
        }

        @Override
        public void add(String step, long durationNanos) {
        }
    };

    /** Ends the step running since the previous mark (or the start) and names it. */
    void mark(String step);

    /** Adds a step measured elsewhere (e.g. on a writer thread, or overlapping others); does not move the mark. */
    void add(String step, long durationNanos);

    /** Runs {@code work} and adds its duration as {@code step} (which overlaps the running step). */
    default <T> T time(String step, Supplier<T> work) {
        long started = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(step, System.nanoTime() - started);
        }
    }
}
