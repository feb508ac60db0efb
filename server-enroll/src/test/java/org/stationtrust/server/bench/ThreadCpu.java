package org.stationtrust.server.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this process split by who spent it: the server's request threads, the load generator, other Java
 * threads, and the rest of the process (garbage collector, JIT compilers: threads ThreadMXBean does not list).
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> cpuByThread = new HashMap<>();
    private final Map<Long, Long> userByThread = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final double processSeconds;

    private ThreadCpu() {
        processSeconds = AttestationBenchmark.processCpuSeconds();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (cpu < 0 || infos[i] == null) continue;
            cpuByThread.put(ids[i], cpu);
            userByThread.put(ids[i], THREADS.getThreadUserTime(ids[i]));
            names.put(ids[i], infos[i].getThreadName());
        }
    }

    static ThreadCpu now() {
        return new ThreadCpu();
    }

    static String group(String thread) {
        // the server names its request pool server-enroll-http-N (EnrollmentServer), so this test comes first
        if (thread.startsWith("server-enroll-http") || thread.startsWith("qtp")) return "server request threads";
        if (thread.startsWith("bench-") || thread.startsWith("HttpClient")) return "load generator";
        if (thread.startsWith("sqlite-group-commit") || thread.startsWith("server-enroll")) return "server background";
        return "other Java threads";
    }

    /**
     * Seconds of CPU per group between {@code start} and this snapshot (finished workers' CPU added to the load
     * generator), plus "GC, JIT, VM" for the remainder. */
    Map<String, Double> since(ThreadCpu start, double finishedWorkerSeconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("server request threads", 0.0);
        out.put("load generator", finishedWorkerSeconds);
        double listed = finishedWorkerSeconds;
        for (Map.Entry<Long, Long> e : cpuByThread.entrySet()) {
            double s = (e.getValue() - start.cpuByThread.getOrDefault(e.getKey(), 0L)) / 1e9;
            listed += s;
            out.merge(group(names.get(e.getKey())), s, Double::sum);
        }
        double kernel = 0;
        for (Map.Entry<Long, Long> e : cpuByThread.entrySet()) {
            if (!group(names.get(e.getKey())).equals("server request threads")) continue;
            long user = userByThread.get(e.getKey()) - start.userByThread.getOrDefault(e.getKey(), 0L);
            long all = e.getValue() - start.cpuByThread.getOrDefault(e.getKey(), 0L);
            kernel += (all - user) / 1e9;
        }
        out.put("  of which in the kernel (sockets, futex, file writes)", kernel);
        out.put("GC, JIT, VM (not in any listed thread)", Math.max(0, processSeconds - start.processSeconds - listed));
        return out;
    }
}
