package org.stationtrust.ctk;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.stationtrust.ctk.internal.check.JudgingRules;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.device.DeviceChannel;
import org.stationtrust.ctk.internal.device.DeviceProfile;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.internal.run.CaseExecution;
import org.stationtrust.ctk.internal.run.DeviceLocator;
import org.stationtrust.ctk.internal.run.LatencyStats;
import org.stationtrust.ctk.internal.run.Verdicts;
import org.stationtrust.sbi.client.DeviceTrustStore;

/**
 * Runs catalogue cases against one device and judges them. Configure once with {@link #builder},
 * then {@link #run}; {@link #snapshot} gives the partial report while a run is going (Ctrl-C).
 */
public final class Harness {

    /**
     * Told about progress: started and caseStarted on the running thread; caseFinished on one
     * results thread, in case order, once the case is judged (judging overlaps the next case).
     */
    public interface Listener {
        void started(int total);

        void caseStarted(int index, int total, TestCase testCase);

        void caseFinished(int index, int total, CaseResult result);
    }

    private final int port;
    private final String deviceId;
    private final JudgingRules rules;
    private final HarnessKey harnessKey;
    private final String env;
    private final Operator operator;
    private final boolean interactive;
    private final Duration caseTimeout;
    private final Listener listener;
    private final String deviceType;
    private final Duration readyWait;
    private final RunSettings settings;
    private final Catalogue catalogue;
    private volatile List<CertificateFacts> deviceCertificates = List.of();
    private volatile String firmware = "";

    private final List<CaseResult> results = Collections.synchronizedList(new ArrayList<>());
    private final LatencyStats latency = new LatencyStats();
    private volatile Instant startedAt;
    private volatile long startedNanos;
    private final AtomicLong deviceNanos = new AtomicLong();
    private final AtomicLong operatorNanos = new AtomicLong();
    private volatile DeviceProfile device;

    private Harness(Builder b) {
        this.port = b.port;
        this.deviceId = b.deviceId;
        this.harnessKey = b.harnessKey;
        this.env = b.env;
        this.operator = b.operator;
        this.interactive = b.interactive;
        this.caseTimeout = b.caseTimeout;
        this.listener = b.listener;
        this.deviceType = b.deviceType;
        this.readyWait = b.readyWait;
        Duration skew = b.skew == null ? b.profile.defaultSkew() : b.skew;
        this.rules = new JudgingRules(b.trustStore, b.algorithms, skew, b.grace, b.responseLimit,
                Optional.ofNullable(b.harnessKey).map(HarnessKey::certificate), b.clock, b.profile,
                b.ftmCas.isEmpty() ? Optional.empty() : Optional.of(DeviceTrustStore.of(b.ftmCas)),
                Optional.ofNullable(b.organisation));
        this.settings = new RunSettings(b.profile, port, b.deviceId, b.deviceType, new java.util.TreeSet<>(b.algorithms),
                skew, b.grace, b.responseLimit, b.caseTimeout, b.readyWait, b.env, b.interactive, b.lab, b.operatorName,
                b.vendorCas.stream().map(c -> CertificateFacts.of("vendor CA", c)).toList(), b.organisation,
                b.ftmCas.stream().map(c -> CertificateFacts.of("FTM CA", c)).toList());
        this.catalogue = b.catalogue == null ? Catalogue.builtIn() : b.catalogue;
    }

    public static Builder builder(int port, DeviceTrustStore vendorCa) {
        return new Builder(port, vendorCa);
    }

    /**
     * Ports to test, found with sbi-client's concurrent discovery over {@code first..last}: devices
     * that verified against the vendor CA first (of {@code type} when given), then ports whose
     * service answered but was rejected, since a device under test may well be the broken one; the
     * reasons go to {@code notes}.
     */
    public static List<Integer> discoverPorts(int first, int last, String type, DeviceTrustStore vendorCa,
                                              PrintStream notes) {
        return DeviceLocator.discoverPorts(first, last, type, vendorCa, notes);
    }

    /** Runs {@code cases} in order and returns the report. */
    public RunReport run(List<TestCase> cases) throws InterruptedException {
        startedAt = Instant.now();
        startedNanos = System.nanoTime();
        DeviceLocator.Located located = DeviceLocator.locate(port, deviceId, deviceType, rules.responseLimit());
        if (located.profile().isEmpty()) {
            String why = "the device could not be identified by discovery on 127.0.0.1:" + port + ": " + located.problem();
            listener.started(cases.size());
            for (int i = 0; i < cases.size(); i++) {
                listener.caseStarted(i + 1, cases.size(), cases.get(i));
                CaseResult r = Verdicts.crashed(cases.get(i), null, why, 0);
                results.add(r);
                listener.caseFinished(i + 1, cases.size(), r);
            }
            deviceNanos.addAndGet(located.elapsedNanos());
            return report(true);
        }
        device = located.profile().get();
        deviceNanos.addAndGet(located.elapsedNanos());
        long identifyStart = System.nanoTime();
        DeviceLocator.Identity identity = DeviceLocator.identity(port, device.deviceId(), rules.responseLimit());
        deviceNanos.addAndGet(System.nanoTime() - identifyStart);
        deviceCertificates = identity.certificates();
        firmware = identity.firmware();
        CaseExecution execution = new CaseExecution(new DeviceChannel(port, rules.clock()), device, harnessKey, env, timedOperator(),
                rules.grace(), rules.responseLimit(), readyWait);
        listener.started(cases.size());
        ExecutorService[] worker = {Executors.newSingleThreadExecutor(daemon("ctk-case"))};
        ExecutorService judges = Executors.newSingleThreadExecutor(daemon("ctk-judge"));
        ExecutorService announcer = Executors.newSingleThreadExecutor(daemon("ctk-results"));
        List<Future<?>> pending = new ArrayList<>();
        try {
            for (int i = 0; i < cases.size(); i++) {
                TestCase c = cases.get(i);
                int index = i + 1;
                listener.caseStarted(index, cases.size(), c);
                Future<CaseResult> r = runOne(c, execution, worker, judges);
                // Results are recorded and announced in case order, as their judgements complete.
                pending.add(announcer.submit(() -> {
                    CaseResult done = r.get();
                    results.add(done);
                    listener.caseFinished(index, cases.size(), done);
                    return null;
                }));
            }
            for (Future<?> p : pending) {
                p.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("judging a case failed: " + e.getCause(), e.getCause());
        } finally {
            worker[0].shutdownNow();
            judges.shutdownNow();
            announcer.shutdownNow();
        }
        return report(true);
    }

    private Future<CaseResult> runOne(TestCase c, CaseExecution execution, ExecutorService[] worker,
                                      ExecutorService judges) throws InterruptedException {
        if (!c.appliesTo(device.type(), device.subType(), device.purpose())) {
            return CompletableFuture.completedFuture(CaseResult.skipped(c, "skipped: not applicable to "
                    + device.type() + "/" + device.subType() + " " + device.purpose() + " devices"));
        }
        if (c.needsOperator() && !interactive) {
            return CompletableFuture.completedFuture(CaseResult.skipped(c, "skipped: needs operator"));
        }
        long opStart = System.nanoTime();
        boolean ready = operator.prepare(c);
        operatorNanos.addAndGet(System.nanoTime() - opStart);
        if (!ready) {
            return CompletableFuture.completedFuture(CaseResult.skipped(c, "skipped: the operator declined"));
        }
        long start = System.nanoTime();
        Observation[] seen = new Observation[1];
        Future<Observation> f = worker[0].submit(() -> seen[0] = execution.run(c));
        long limit = caseTimeout.toMillis() * Math.max(1, c.request().repeat() == null ? 1 : c.request().repeat());
        Future<CaseResult> result;
        try {
            Observation o = f.get(limit, TimeUnit.MILLISECONDS);
            account(o);
            double ms = (System.nanoTime() - start) / 1e6;
            // Judging runs on its own thread while the next case waits on the device.
            result = judges.submit(() -> Verdicts.judge(o, rules, ms));
        } catch (TimeoutException e) {
            f.cancel(true);
            // A socket read ignores interrupts: give the next case a fresh thread rather than queue
            // it behind the stuck one.
            worker[0].shutdownNow();
            worker[0] = Executors.newSingleThreadExecutor(daemon("ctk-case"));
            result = CompletableFuture.completedFuture(Verdicts.crashed(c, seen[0], "the case did not finish within its "
                    + limit + " ms timeout (device hangs?)", (System.nanoTime() - start) / 1e6));
        } catch (ExecutionException e) {
            result = CompletableFuture.completedFuture(Verdicts.crashed(c, seen[0], "the case could not run: "
                    + e.getCause(), (System.nanoTime() - start) / 1e6));
        } finally {
            long restoreStart = System.nanoTime();
            operator.restore(c);
            operatorNanos.addAndGet(System.nanoTime() - restoreStart);
        }
        return result;
    }

    /** The operator as seen from inside a case: time spent on its mid-case steps is the operator's, not ours. */
    private Operator timedOperator() {
        return new Operator() {
            @Override
            public boolean prepare(TestCase c) {
                return operator.prepare(c);
            }

            @Override
            public boolean midway(TestCase c, String step, int round) {
                long start = System.nanoTime();
                try {
                    return operator.midway(c, step, round);
                } finally {
                    operatorNanos.addAndGet(System.nanoTime() - start);
                }
            }

            @Override
            public void restore(TestCase c) {
                operator.restore(c);
            }
        };
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void account(Observation o) {
        deviceNanos.addAndGet(o.deviceNanos());
        for (Exchange e : o.exchanges) {
            if (e.answered()) {
                latency.add(e.verb(), e.elapsedMillis());
            }
        }
    }

    /** The report so far (the whole report once {@link #run} returned). */
    public RunReport snapshot() {
        return report(false);
    }

    private RunReport report(boolean complete) {
        Instant started = startedAt == null ? Instant.now() : startedAt;
        double wall = startedAt == null ? 0 : (System.nanoTime() - startedNanos) / 1e6;
        double deviceMs = deviceNanos.get() / 1e6;
        double operatorMs = operatorNanos.get() / 1e6;
        double harnessMs = Math.max(0, wall - deviceMs - operatorMs);
        Map<String, String> d = new LinkedHashMap<>();
        DeviceProfile p = device;
        if (p != null) {
            d.put("port", String.valueOf(p.port()));
            d.put("deviceId", p.deviceId());
            d.put("type", p.type());
            d.put("subType", p.subType());
            d.put("purpose", p.purpose());
            d.put("serialNo", p.digitalId().path("serialNo").asText(""));
            d.put("make", p.digitalId().path("make").asText(""));
            d.put("model", p.digitalId().path("model").asText(""));
            d.put("deviceProvider", p.digitalId().path("deviceProvider").asText(""));
            d.put("deviceProviderId", p.digitalId().path("deviceProviderId").asText(""));
            d.put("deviceCode", p.deviceCode() == null ? "" : p.deviceCode());
            d.put("certification", p.certification() == null ? "" : p.certification());
            d.put("firmware", firmware);
            d.put("serviceVersion", p.serviceVersion() == null ? "" : p.serviceVersion());
        }
        List<CaseResult> copy;
        synchronized (results) {
            copy = List.copyOf(results);
        }
        String[] build = LabContext.buildFacts();
        LabContext lab = new LabContext(build[0], build[1], catalogue.version(), catalogue.sha256(), settings,
                deviceCertificates);
        return new RunReport("station-trust ctk-harness", "0.9.5", started, Instant.now(), complete, d, copy,
                latency.summary(), new RunReport.Timing(round(wall), round(deviceMs), round(operatorMs), round(harnessMs),
                wall <= 0 ? 0 : round(100.0 * harnessMs / wall)), lab);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Settings with safe defaults: RS256 only, ±5 min skew, 2 s grace, 5 s limit for discovery/info. */
    public static final class Builder {
        private final int port;
        private final DeviceTrustStore trustStore;
        private String deviceId;
        private Set<String> algorithms = Set.of("RS256");
        private Duration skew;
        private Profile profile = Profile.SPEC;
        private String deviceType;
        private Duration readyWait = Duration.ofSeconds(15);
        private String lab = "";
        private String operatorName = "";
        private List<java.security.cert.X509Certificate> vendorCas = List.of();
        private Catalogue catalogue;
        private List<java.security.cert.X509Certificate> ftmCas = List.of();
        private String organisation;
        private Duration grace = Duration.ofSeconds(2);
        private Duration responseLimit = Duration.ofSeconds(5);
        private Duration caseTimeout = Duration.ofSeconds(120);
        private HarnessKey harnessKey;
        private String env = "Staging";
        private Operator operator = Operator.automatic();
        private boolean interactive;
        private Listener listener = new Listener() {
            @Override
            public void started(int total) {
            }

            @Override
            public void caseStarted(int index, int total, TestCase testCase) {
            }

            @Override
            public void caseFinished(int index, int total, CaseResult result) {
            }
        };
        private Clock clock = Clock.systemUTC();

        private Builder(int port, DeviceTrustStore trustStore) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, was " + port);
            }
            this.port = port;
            this.trustStore = Objects.requireNonNull(trustStore, "the vendor CA trust store is required");
        }

        public Builder deviceId(String id) { this.deviceId = id; return this; }
        /** The catalogue the cases come from (its version and digest go into the report; default built-in). */
        public Builder catalogue(Catalogue c) { this.catalogue = Objects.requireNonNull(c); return this; }
        /** The rule book ({@link Profile#SPEC} by default); sets the default skew (MOSIP 180 s). */
        public Builder profile(Profile p) { this.profile = Objects.requireNonNull(p); return this; }
        /** Test the device of this type (Finger, Iris, Face) when the port serves several. */
        public Builder deviceType(String t) { this.deviceType = t; return this; }
        /** How long to wait between cases for a Busy device to become Ready (default 15 s). */
        public Builder readyWait(Duration d) { this.readyWait = Objects.requireNonNull(d); return this; }
        /** The lab and the person running the certification, named in the reports. */
        public Builder lab(String lab, String operatorName) {
            this.lab = lab == null ? "" : lab;
            this.operatorName = operatorName == null ? "" : operatorName;
            return this;
        }
        /** L1 devices: the FTM provider CA(s) their chip key (which signs digitalId) chains to. */
        public Builder ftmCaCertificates(List<java.security.cert.X509Certificate> cas) { this.ftmCas = List.copyOf(cas); return this; }
        /** The organisation (subject O) every device signing certificate must name; null: not checked. */
        public Builder organisation(String o) { this.organisation = o; return this; }
        /** The vendor CA certificates, listed with their fingerprints in the reports. */
        public Builder vendorCaCertificates(List<java.security.cert.X509Certificate> cas) { this.vendorCas = List.copyOf(cas); return this; }
        public Builder allowedAlgorithms(Set<String> a) { this.algorithms = Set.copyOf(a); return this; }
        public Builder allowedSkew(Duration d) { this.skew = d; return this; }
        public Builder grace(Duration d) { this.grace = d; return this; }
        public Builder responseLimit(Duration d) { this.responseLimit = d; return this; }
        public Builder caseTimeout(Duration d) { this.caseTimeout = d; return this; }
        public Builder harnessKey(HarnessKey k) { this.harnessKey = k; return this; }
        public Builder env(String e) { this.env = Objects.requireNonNull(e); return this; }
        /** An interactive run uses this operator for "needs operator" cases; otherwise they are skipped. */
        public Builder operator(Operator o, boolean interactive) {
            this.operator = Objects.requireNonNull(o);
            this.interactive = interactive;
            return this;
        }
        public Builder listener(Listener l) { this.listener = Objects.requireNonNull(l); return this; }
        public Builder clock(Clock c) { this.clock = Objects.requireNonNull(c); return this; }

        public Harness build() {
            if (readyWait.isNegative() || readyWait.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("ready wait must be 0-300 s, was " + readyWait);
            }
            if (caseTimeout.toMillis() < 1000) {
                throw new IllegalArgumentException("case timeout must be at least 1 s, was " + caseTimeout);
            }
            return new Harness(this);
        }
    }
}
