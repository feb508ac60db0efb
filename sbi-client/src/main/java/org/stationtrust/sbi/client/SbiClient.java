package org.stationtrust.sbi.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.sbi.client.internal.CaptureVerifier;
import org.stationtrust.sbi.client.internal.DeviceInfoVerifier;
import org.stationtrust.sbi.client.internal.DeviceVerifiers;
import org.stationtrust.sbi.client.internal.SbiHttpAnswer;
import org.stationtrust.sbi.client.internal.SbiRequests;
import org.stationtrust.sbi.client.internal.SbiTransport;
import org.stationtrust.sbi.client.internal.SbiVerb;
import org.stationtrust.sbi.client.internal.TimestampWindow;

/**
 * The station's SBI 0.9.5 client: discovers devices on 127.0.0.1, captures, and accepts an answer only
 * when every check passed. Create one per station, share it, close it at shutdown.
 */
public final class SbiClient implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(SbiClient.class);

    private final SbiClientConfig config;
    private final SbiTransport transport;
    private final DeviceInfoVerifier infoVerifier;
    private final CaptureVerifier captureVerifier;
    private final ExecutorService discoveryPool;

    public SbiClient(SbiClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = new SbiTransport(config.maxAnswerBytes());
        DeviceVerifiers verifiers = DeviceVerifiers.of(config.trustStore(), config.allowedAlgorithms(), config.clock());
        TimestampWindow timestamps = new TimestampWindow(config.allowedSkew(), config.clock());
        this.infoVerifier = new DeviceInfoVerifier(verifiers, timestamps, config.env());
        this.captureVerifier = new CaptureVerifier(verifiers, timestamps, config.env());
        AtomicInteger n = new AtomicInteger();
        this.discoveryPool = Executors.newFixedThreadPool(config.discoveryThreads(), r -> {
            Thread t = new Thread(r, "sbi-discovery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public SbiClientConfig config() {
        return config;
    }

    /**
     * Scans the configured port range concurrently (MOSIPDISC then MOSIPDINFO on each answering port).
     * Bounded in time: a port that never answers costs one discovery deadline, in parallel with others.
     */
    public DeviceRegistry discover() {
        long start = System.nanoTime();
        Map<Integer, Future<PortDevices>> probes = new LinkedHashMap<>();
        for (int port = config.firstPort(); port <= config.lastPort(); port++) {
            int p = port;
            probes.put(port, discoveryPool.submit(() -> probeEach(p)));
        }
        long waitUntil = System.nanoTime() + config.discoveryDeadline().multipliedBy(2).plusSeconds(1).toNanos()
                * (1 + (probes.size() - 1) / config.discoveryThreads());
        List<Device> devices = new ArrayList<>();
        List<UntrustedDevice> untrusted = new ArrayList<>();
        Map<Integer, DeviceAnswerRejected> rejections = new HashMap<>();
        for (Map.Entry<Integer, Future<PortDevices>> e : probes.entrySet()) {
            try {
                PortDevices found = e.getValue().get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                devices.addAll(found.devices());
                untrusted.addAll(found.untrusted());
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                DeviceAnswerRejected r = cause instanceof DeviceAnswerRejected d ? d
                        : new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "probing failed: " + cause, cause);
                if (r.reason() != RejectionReason.DEVICE_UNREACHABLE) {
                    rejections.put(e.getKey(), r);
                }
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                rejections.put(e.getKey(), new DeviceAnswerRejected(RejectionReason.TIMEOUT,
                        "port " + e.getKey() + " did not complete discovery in time"));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                probes.values().forEach(f -> f.cancel(true));
                break;
            }
        }
        DeviceRegistry registry = new DeviceRegistry(devices, untrusted, rejections);
        for (UntrustedDevice u : registry.untrusted()) {
            LOG.warn("sbi.device_untrusted", "port", u.port(), "deviceId", u.deviceId(),
                    "reason", u.rejection().reason(), "detail", u.rejection().detail());
        }
        LOG.info("sbi.discovery", "ports", config.firstPort() + "-" + config.lastPort(), "devices",
                registry.devices().size(), "trusted", registry.trusted().size(), "untrusted", registry.untrusted().size(),
                "rejectedPorts", registry.rejections().keySet().toString(), "ms", (System.nanoTime() - start) / 1_000_000);
        return registry;
    }

    /** Discovers and describes the device(s) of one port; throws when any of them does not verify. */
    public List<Device> probe(int port) throws DeviceAnswerRejected {
        PortDevices found = probeEach(port);
        if (!found.untrusted().isEmpty()) {
            throw found.untrusted().get(0).rejection();
        }
        return found.devices();
    }

    /**
     * Discovers the devices of one port and judges each on its own: those that verify, and those that do
     * not with their reason. Throws when the service's answers as a whole are unusable.
     */
    public PortDevices probeEach(int port) throws DeviceAnswerRejected {
        Duration deadline = config.discoveryDeadline();
        SbiHttpAnswer disc = transport.exchange(port, SbiVerb.MOSIPDISC,
                SbiRequests.discovery("Biometric Device"), deadline);
        List<DeviceInfoVerifier.DiscoveredDevice> discovered = DeviceInfoVerifier.parseDiscovery(disc.bodyUnsafe());
        SbiHttpAnswer info = transport.exchange(port, SbiVerb.MOSIPDINFO, null, deadline);
        return infoVerifier.verifyEach(port, discovered, info.bodyUnsafe());
    }

    /** Asks a known device for its info again (status, certificate) and re-verifies it. */
    public Device refresh(Device device) throws DeviceAnswerRejected {
        DeviceInfoVerifier.DiscoveredDevice known = new DeviceInfoVerifier.DiscoveredDevice(device.deviceId(),
                device.status().wireName(), device.certification(), device.serviceVersion(), device.deviceSubIds(),
                device.callbackId(), device.digitalId(), device.deviceCode(), device.specVersions(), device.purpose());
        SbiHttpAnswer info = transport.exchange(device.port(), SbiVerb.MOSIPDINFO, null, config.discoveryDeadline());
        for (Device d : infoVerifier.verify(device.port(), List.of(known), info.bodyUnsafe())) {
            if (d.deviceId().equals(device.deviceId())) {
                return d;
            }
        }
        throw new DeviceAnswerRejected(RejectionReason.DEVICE_MISMATCH, "device info no longer lists deviceId "
                + device.deviceId());
    }

    /**
     * One verified RCAPTURE continuing {@code previous}, the chain of this person's registration
     * (docs/sbi-protocol.md "Hash chain"): the first capture sends {@link HashChain#start()}, each next one
     * {@code HashChain.continueFrom(result.lastHash())} of the last verified capture. A rejected capture leaves the
     * chain where it was, so the operator can retry. The caller keeps the chain (durably, if captures outlive the
     * process) and moves it on only once it has kept the result.
     */
    public CaptureResult registrationCapture(Device device, CaptureRequest request, HashChain previous)
            throws DeviceAnswerRejected {
        return capture(device, request, CaptureVerifier.Purpose.REGISTRATION, previous, null);
    }

    /**
     * One verified authentication CAPTURE: the bioValues stay encrypted to the server key named by
     * {@code domainUri}'s deployment; the hash chain over them can only be checked after decryption.
     */
    public CaptureResult authenticationCapture(Device device, CaptureRequest request, String domainUri)
            throws DeviceAnswerRejected {
        Objects.requireNonNull(domainUri, "domainUri");
        return capture(device, request, CaptureVerifier.Purpose.AUTHENTICATION, HashChain.start(), domainUri);
    }

    private CaptureResult capture(Device device, CaptureRequest request, CaptureVerifier.Purpose purpose,
                                  HashChain previous, String domainUri) throws DeviceAnswerRejected {
        String tx = SbiRequests.newTransactionId();
        long start = System.nanoTime();
        try {
            CaptureVerifier.requireCapturable(device, request, purpose);
            byte[] body = purpose == CaptureVerifier.Purpose.REGISTRATION
                    ? SbiRequests.registrationCapture(device, request, config.env(), tx, config.clock().instant(),
                            previous.hex())
                    : SbiRequests.authenticationCapture(device, request, config.env(), domainUri, tx,
                            config.clock().instant(), previous.hex());
            LOG.debug("sbi.capture_start", "transactionId", tx, "port", device.port(), "deviceId", device.deviceId(),
                    "type", request.type().wireName(), "deviceSubId", request.deviceSubId(), "count", request.count(),
                    "purpose", purpose.wireName());
            SbiVerb verb = purpose == CaptureVerifier.Purpose.REGISTRATION ? SbiVerb.RCAPTURE : SbiVerb.CAPTURE;
            SbiHttpAnswer answer = transport.exchange(device.port(), verb, body,
                    request.timeout().plus(config.captureMargin()));
            CaptureResult result = captureVerifier.verify(device, request, purpose, tx, previous, answer.bodyUnsafe());
            LOG.info("sbi.capture_verified", "transactionId", tx, "port", device.port(),
                    "type", request.type().wireName(), "samples", result.samples().size(),
                    "ms", (System.nanoTime() - start) / 1_000_000);
            return result;
        } catch (DeviceAnswerRejected e) {
            DeviceAnswerRejected tagged = e.transactionId().isPresent() ? e : e.forTransaction(tx);
            LOG.warn("sbi.capture_rejected", "transactionId", tx, "port", device.port(), "reason", tagged.reason(),
                    "detail", tagged.detail());
            throw tagged;
        }
    }

    /** Opens the preview STREAM of a trusted device; read frames, then close it. */
    public JpegFrameStream stream(Device device, int deviceSubId, Duration timeout) throws DeviceAnswerRejected {
        if (!device.trusted()) {
            throw new DeviceAnswerRejected(RejectionReason.NOT_REGISTERED, device + " has no verified certificate");
        }
        return transport.openStream(device.port(), SbiRequests.stream(device, deviceSubId, timeout),
                timeout.plus(config.captureMargin()), config.maxFrameBytes());
    }

    @Override
    public void close() {
        discoveryPool.shutdownNow();
    }
}
