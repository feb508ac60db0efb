package org.stationtrust.sbi.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.sbi.simulator.DeviceProviderCa;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatorConfig;
import org.stationtrust.sbi.simulator.SimulatorException;

/**
 * One simulated device on one port of 127.0.0.1: the JDK HTTP server (it accepts SBI's custom
 * verbs) routing MOSIPDISC /device, MOSIPDINFO /info, RCAPTURE|CAPTURE /capture, STREAM /stream
 * and the admin endpoint /admin/*.
 */
public final class DeviceService implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(DeviceService.class);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final SimulatorConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final int port;
    private final DeviceProfile profile;
    private final DeviceState state;
    private final DeviceCredentials credentials;
    private final DeviceAnswers answers;
    private final CaptureAnswers captures;
    private final StreamAnswers streams;
    private final Transport transport;
    private final AdminEndpoint admin;
    private final Map<String, Route> routes;
    /** Every device this port serves, the configured one first (the admin endpoint acts on it). */
    private final List<Unit> units;

    /** One device of the service: its identity, state and answer builders. */
    private record Unit(DeviceProfile profile, DeviceState state, DeviceAnswers answers, CaptureAnswers captures,
                        StreamAnswers streams) {
    }

    private DeviceService(SimulatorConfig config, DeviceProviderCa ca, HttpServer server) {
        this.config = config;
        this.server = server;
        this.port = server.getAddress().getPort();
        String serial = config.serialNumber().orElseGet(() -> defaultSerial(config));
        this.state = new DeviceState(config.status(), config.fault(), config.quality(), config.biometricPresented(),
                config.encryptionCertificate().orElse(null));
        this.credentials = new DeviceCredentials(ca, "Simulated " + config.kind().bioType() + " device " + serial,
                config.deviceKey().map(k -> new DeviceCredentials.SigningIdentity(k.key(), k.certificate())).orElse(null));
        DeviceSigner signer = new DeviceSigner(credentials, ftmChip(config, serial));
        this.profile = DeviceProfile.of(config.kind(), serial, config.purpose(), signer.certification());
        this.answers = new DeviceAnswers(profile, state, signer, port, config.format());
        this.captures = new CaptureAnswers(profile, state, signer, config.captureDelay().toMillis(), config.format(),
                config.wsqAuthFingers());
        this.streams = new StreamAnswers(config.kind(), state, config.streamFrameInterval().toMillis());
        List<Unit> all = new java.util.ArrayList<>();
        all.add(new Unit(profile, state, answers, captures, streams));
        for (org.stationtrust.sbi.simulator.DeviceKind kind : config.companions()) {
            all.add(companion(config, ca, kind));
        }
        this.units = List.copyOf(all);
        this.transport = new Transport(state, config.slowDripInterval().toMillis(), config.oversizedBodyBytes(), port,
                config.closeConnections());
        this.admin = new AdminEndpoint(this);
        this.routes = routes();
        this.executor = Executors.newCachedThreadPool(daemonThreads("sbi-sim-" + port));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("started", "kind", config.kind(), "port", port, "serial", serial, "status", config.status().wire(),
                "fault", config.fault());
    }

    /** A further device on this port: Ready, no fault, its own serial and device key from the same CA. */
    private Unit companion(SimulatorConfig config, DeviceProviderCa ca, org.stationtrust.sbi.simulator.DeviceKind kind) {
        SimulatorConfig c = config.toBuilder().kind(kind).serialNumber(null).deviceKey(null).companions(List.of()).build();
        String serial = defaultSerial(c);
        DeviceState s = new DeviceState(DeviceStatus.READY, FaultMode.NONE, config.quality(), config.biometricPresented(),
                config.encryptionCertificate().orElse(null));
        DeviceSigner signer = new DeviceSigner(new DeviceCredentials(ca, "Simulated " + kind.bioType() + " device " + serial,
                null), ftmChip(c, serial));
        DeviceProfile p = DeviceProfile.of(kind, serial, config.purpose(), signer.certification());
        return new Unit(p, s, new DeviceAnswers(p, s, signer, port, config.format()),
                new CaptureAnswers(p, s, signer, config.captureDelay().toMillis(), config.format(),
                config.wsqAuthFingers()),
                new StreamAnswers(kind, s, config.streamFrameInterval().toMillis()));
    }

    /** The FTM chip key of an L1 device, issued by the configured FTM-provider CA; none for an L0 device. */
    private static Optional<DeviceCredentials> ftmChip(SimulatorConfig config, String serial) {
        return config.ftmCa().map(ftm -> new DeviceCredentials(ftm, "Simulated FTM chip of device " + serial, null));
    }

    /** The unit a capture or stream body names by deviceId (bio[0].deviceId or deviceId); the first unit otherwise. */
    private Unit unitFor(byte[] body) {
        if (units.size() == 1) {
            return units.get(0);
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = Wire.JSON.readTree(body);
            String id = n == null ? "" : n.path("bio").path(0).path("deviceId").asText(n.path("deviceId").asText(""));
            return units.stream().filter(u -> u.profile().kind().deviceId().equals(id)).findFirst().orElse(units.get(0));
        } catch (IOException | RuntimeException e) {
            return units.get(0);
        }
    }

    private com.fasterxml.jackson.databind.node.ArrayNode all(java.util.function.Function<Unit,
            com.fasterxml.jackson.databind.node.ArrayNode> answer) {
        com.fasterxml.jackson.databind.node.ArrayNode out = Wire.JSON.createArrayNode();
        units.forEach(u -> out.addAll(answer.apply(u)));
        return out;
    }

    /** Starts a device on a server that {@link #bind} already bound. */
    public static DeviceService start(SimulatorConfig config, DeviceProviderCa ca, HttpServer boundServer) {
        return new DeviceService(config, ca, boundServer);
    }

    /** Binds 127.0.0.1 on any free port (from = to = 0) or the first free port of {@code from..to}. */
    public static HttpServer bind(int from, int to) {
        try {
            if (from == 0) {
                return HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 64);
            }
            for (int p = from; p <= to; p++) {
                try {
                    return HttpServer.create(new InetSocketAddress(LOOPBACK, p), 64);
                } catch (BindException e) {
                    // taken: try the next port
                }
            }
        } catch (IOException e) {
            throw new SimulatorException("Could not open a server socket on 127.0.0.1: " + e.getMessage(), e);
        }
        throw new SimulatorException("No free port on 127.0.0.1 in " + from + "-" + to
                + "; stop other SBI services or choose another range (--port)");
    }

    public int port() { return port; }
    public String callbackId() { return answers.callbackId(); }
    public DeviceProfile profile() { return profile; }
    public DeviceState state() { return state; }
    public DeviceCredentials credentials() { return credentials; }
    /** The FTM-provider CA of an L1 device; empty for an L0 device. */
    public Optional<DeviceProviderCa> ftmCa() { return config.ftmCa(); }
    public AdminEndpoint admin() { return admin; }

    /** Back to the configured start state, with fault NONE and status Ready. */
    public void reset() {
        state.setStatus(DeviceStatus.READY);
        state.setFault(FaultMode.NONE);
        state.setQuality(config.quality());
        state.setBiometricPresented(true);
    }

    @Override
    public void close() {
        units.forEach(u -> u.state().markClosed());
        server.stop(0);
        executor.shutdownNow();
        LOG.info("stopped", "port", port, "serial", profile.serialNo());
    }

    private void handle(HttpExchange ex) {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getPath();
        try {
            byte[] body;
            try {
                body = Transport.readBody(ex);
            } catch (IOException e) {
                Transport.sendPlain(ex, 413, "text/plain", "Request body too large or unreadable: " + e.getMessage());
                return;
            }
            if (path.startsWith("/admin/")) {
                admin.handle(ex, path, body);
                return;
            }
            route(ex, method, path, body);
        } catch (IOException e) {
            LOG.debug("client_gone", "verb", method, "path", path);
        } catch (RuntimeException e) {
            LOG.warn("internal_error", "verb", method, "path", path, "exception", e.getClass().getName());
            try {
                Transport.sendPlain(ex, 500, "text/plain", "Simulator internal error: " + e.getClass().getSimpleName());
            } catch (IOException | RuntimeException ignored) {
                // headers were already sent; the client sees a cut answer
            }
        } finally {
            ex.close();
        }
    }

    /** One SBI resource: the verbs it accepts, those it advertises in {@code Allow}, and its handler. */
    private record Route(List<String> verbs, String allow, Handler handler) {
    }

    private interface Handler {
        void handle(HttpExchange ex, String verb, byte[] body) throws IOException;
    }

    /** SBI 0.9.5 paths; the 2021 draft's SBIDISC / SBIINFO names are accepted as aliases. */
    private Map<String, Route> routes() {
        return Map.of(
                "/device", new Route(List.of("MOSIPDISC", "SBIDISC"), "MOSIPDISC",
                        (ex, verb, body) -> transport.sendSbiJson(ex, discovery(body).toString())),
                "/info", new Route(List.of("MOSIPDINFO", "SBIINFO"), "MOSIPDINFO",
                        (ex, verb, body) -> transport.sendSbiJson(ex, all(u -> u.answers().info()).toString())),
                "/capture", new Route(List.of("RCAPTURE", "CAPTURE"), "RCAPTURE, CAPTURE",
                        (ex, verb, body) -> transport.sendSbiJson(ex,
                                unitFor(body).captures().capture(body, verb.equals("CAPTURE")).toString())),
                "/stream", new Route(List.of("STREAM"), "STREAM", (ex, verb, body) -> unitFor(body).streams().stream(ex, body)));
    }

    /**
     * Every unit's discovery entries; with several units, an invalid type is answered once (by the
     * first unit) rather than once per device.
     */
    private com.fasterxml.jackson.databind.node.ArrayNode discovery(byte[] body) {
        com.fasterxml.jackson.databind.node.ArrayNode first = units.get(0).answers().discovery(body);
        if (first.size() == 1 && !"0".equals(first.get(0).path("error").path("errorCode").asText("0"))) {
            return first;
        }
        com.fasterxml.jackson.databind.node.ArrayNode out = Wire.JSON.createArrayNode();
        out.addAll(first);
        units.stream().skip(1).forEach(u -> out.addAll(u.answers().discovery(body)));
        return out;
    }

    private void route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        if (method.equals("OPTIONS")) {
            // Browser-based registration clients preflight the custom verbs.
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            ex.getResponseHeaders().set("Access-Control-Allow-Methods",
                    "MOSIPDISC, MOSIPDINFO, RCAPTURE, CAPTURE, STREAM, OPTIONS");
            ex.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
            Transport.sendPlain(ex, 200, "text/plain", "");
            return;
        }
        Route route = routes.get(path);
        if (route == null) {
            Transport.sendPlain(ex, 404, "text/plain", "No SBI resource at " + path);
        } else if (!route.verbs().contains(method)) {
            notAllowed(ex, route.allow());
        } else {
            LOG.debug("request", "verb", method, "port", port);
            route.handler().handle(ex, method, body);
        }
    }

    private static void notAllowed(HttpExchange ex, String allowed) throws IOException {
        ex.getResponseHeaders().set("Allow", allowed);
        Transport.sendPlain(ex, 405, "text/plain", "Method not allowed here; use " + allowed);
    }

    private static String defaultSerial(SimulatorConfig config) {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        return "SIM-" + config.kind().name().charAt(0) + "-" + HexFormat.of().withUpperCase().formatHex(r);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
