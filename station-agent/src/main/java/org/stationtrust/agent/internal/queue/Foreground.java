package org.stationtrust.agent.internal.queue;

/**
 * Captures in progress, so background delivery yields to them: the courier's work (a TPM signature and an HTTP
 * request per message) waits until no capture runs, for at most a bound, then goes anyway. On a station the gaps
 * between captures (the operator placing the next finger) are long; nothing is delayed for long, and a capture
 * does not share the TPM and the CPU with a delivery.
 */
public final class Foreground {
    private int inFlight;

    /** A capture starts. */
    public synchronized void enter() {
        inFlight++;
    }

    /** A capture ended (answered or failed). */
    public synchronized void exit() {
        inFlight--;
        if (inFlight == 0) notifyAll();
    }

    /** Waits until no capture runs, or {@code maxMillis} passed. */
    public synchronized void awaitQuiet(long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (inFlight > 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return;
            wait(left);
        }
    }
}
