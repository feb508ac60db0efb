package org.stationtrust.agent.internal.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the time of one {@code POST /v1/captures} goes, step by step (request parse, device capture, packet build,
 * TPM signature, durable writes, JSON). The local API answers it in a {@code Server-Timing} header (durations in
 * ms) so a client can see the agent's share of its latency; nothing in it is secret. Used by one request thread;
 * steps measured on other threads are added with {@link #add}.
 */
public final class CaptureSteps implements CaptureProbe {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private final long started = System.nanoTime();
    private final long cpuStarted = cpu();
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final Map<String, Long> cpuNanos = new LinkedHashMap<>();
    private long last = started;
    private long lastCpu = cpuStarted;

    /** Ends the step running since the previous mark (or the start) and names it; also its CPU time on this thread. */
    @Override
    public synchronized void mark(String step) {
        long now = System.nanoTime();
        long cpu = cpu();
        nanos.merge(step, now - last, Long::sum);
        cpuNanos.merge(step, cpu - lastCpu, Long::sum);
        last = now;
        lastCpu = cpu;
    }

    private static long cpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    @Override
    public synchronized void add(String step, long durationNanos) {
        nanos.merge(step, durationNanos, Long::sum);
    }

    /** Milliseconds since this request's steps started. */
    public synchronized double totalMillis() {
        return (System.nanoTime() - started) / 1e6;
    }

    /**
     * The steps so far and {@code total}, as a {@code Server-Timing} header value; then the request thread's CPU time
     * ({@code cpu}) and that of each step ({@code cpu.<step>}).
     */
    public synchronized String serverTiming() {
        StringJoiner out = new StringJoiner(", ");
        nanos.forEach((step, n) -> out.add(step + ";dur=" + millis(n)));
        out.add("total;dur=" + millis(System.nanoTime() - started));
        out.add("cpu;dur=" + millis(lastCpu - cpuStarted));
        cpuNanos.forEach((step, n) -> out.add("cpu." + step + ";dur=" + millis(n)));
        return out.toString();
    }

    /** Each step measured so far with its duration in nanoseconds, in order. */
    public synchronized void forEachStep(java.util.function.ObjLongConsumer<String> each) {
        nanos.forEach(each::accept);
    }

    private static String millis(long n) {
        return String.format(Locale.ROOT, "%.3f", n / 1e6);
    }
}
