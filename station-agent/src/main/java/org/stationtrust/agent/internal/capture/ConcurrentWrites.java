package org.stationtrust.agent.internal.capture;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stationtrust.agent.internal.api.CaptureProbe;

/**
 * Runs a capture's registration chain commit (its own sync) on another thread while the request thread builds and
 * signs the packet and writes the audit record: the answer waits for the slower of the two, not their sum. The
 * answer is never given before the write is durable or has failed.
 */
final class ConcurrentWrites implements AutoCloseable {
    private final ExecutorService pool;

    ConcurrentWrites(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, work -> {
            Thread t = new Thread(work, "durable-write");
            t.setDaemon(true);
            return t;
        });
    }

    /** The writers, for a write whose outcome is handled by its caller. */
    java.util.concurrent.Executor executor() {
        return pool;
    }

    /** Starts {@code write}; its duration is reported as {@code step} when awaited. */
    Pending start(String step, Runnable write) {
        Future<Long> future = pool.submit(() -> {
            long t = System.nanoTime();
            write.run();
            return System.nanoTime() - t;
        });
        return new Pending(step, future);
    }

    /** A write under way. */
    static final class Pending {
        private final String step;
        private final Future<Long> future;
        private boolean awaited;
        private RuntimeException failure;

        private Pending(String step, Future<Long> future) {
            this.step = step;
            this.future = future;
        }

        /**
         * Waits for the write (not interruptible: the outcome must be known); returns its failure, or null. Awaiting
         * again answers the same without counting the step twice.
         */
        synchronized RuntimeException await(CaptureProbe steps) {
            if (!awaited) {
                failure = awaitOnce(steps);
                awaited = true;
            }
            return failure;
        }

        private RuntimeException awaitOnce(CaptureProbe steps) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        steps.add(step, future.get());
                        return null;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof RuntimeException r) return r;
                        if (cause instanceof Error err) throw err;
                        return new IllegalStateException("a durable write failed: " + cause, cause);
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
