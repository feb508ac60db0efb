package org.stationtrust.agent.internal.capture;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.agent.internal.api.CaptureAnswer;
import org.stationtrust.agent.internal.api.CaptureOrder;
import org.stationtrust.agent.internal.api.CaptureProbe;
import org.stationtrust.agent.internal.api.RefusalCode;
import org.stationtrust.agent.internal.api.StatusAnswer;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.config.StorageUnavailable;
import org.stationtrust.agent.internal.identity.MachineJws;
import org.stationtrust.agent.internal.identity.MachineSigner;
import org.stationtrust.agent.internal.queue.Foreground;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.JwsType;
import org.stationtrust.sbi.client.BiometricSample;
import org.stationtrust.sbi.client.CaptureRequest;
import org.stationtrust.sbi.client.CaptureResult;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.HashChain;
import org.stationtrust.sbi.client.Modality;
import org.stationtrust.sbi.client.SbiClient;

/**
 * One capture from order to signed packet: pick a trusted device, capture and verify through sbi-client
 * (the hash chain continues across the captures of one registration), build the packet, sign it once
 * with the TPM machine key, and hand it to the outbound queue together with its audit record (consent reference
 * included): both are stored or neither is.
 */
public final class CaptureFlow implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(CaptureFlow.class);
    private final SbiClient sbi;
    private final DeviceDirectory devices;
    private final MachineSigner signer;
    private final AuditLog audit;
    private final CaptureCommit commits;
    private final Clock clock;
    private final String machineName;
    private final RegistrationChains chains;
    private final Foreground foreground;
    private final java.util.concurrent.atomic.AtomicLong packets = new java.util.concurrent.atomic.AtomicLong();

    /**
     * {@code signer} is this flow's own (its signatures are counted as the packet path's TPM calls); {@code outbox} keeps
     * each packet (packetId, compact JWS) until it is delivered to the server; {@code chains} keeps each registration's
     * hash chain across agent restarts.
     */
    public CaptureFlow(SbiClient sbi, DeviceDirectory devices, MachineSigner signer, AuditLog audit,
                       PacketOutbox outbox, Clock clock, String machineName, RegistrationChains chains,
                       Foreground foreground) {
        this.chains = chains;
        this.foreground = foreground;
        this.sbi = sbi;
        this.devices = devices;
        this.signer = signer;
        this.audit = audit;
        this.commits = new CaptureCommit(audit, outbox, chains);
        this.clock = clock;
        this.machineName = machineName;
    }

    public CaptureAnswer capture(CaptureOrder order, CaptureProbe probe) throws ApiRefusal {
        foreground.enter();
        try {
            return captureOnce(order, probe);
        } finally {
            foreground.exit();
        }
    }

    private CaptureAnswer captureOnce(CaptureOrder order, CaptureProbe probe) throws ApiRefusal {
        Modality modality = order.modality();
        Device device = chooseDevice(order, modality);
        CaptureRequest request = request(order, modality);
        probe.mark("prepare");
        // One capture of a registration at a time: each continues the chain where the previous verified one ended,
        // and the chain's new end is durable before the next capture of that registration reads it.
        synchronized (chains.lockFor(order.registrationId())) {
            HashChain chain = chains.current(order.registrationId());
            String previousHash = chain.hex();
            probe.mark("chainRead");
            CaptureResult result = deviceCapture(order, device, request, chain);
            probe.mark("sbiCapture");
            CaptureCommit.Step commit = commits.begin(order.registrationId(), previousHash, result.lastHash(), probe);
            CapturePacket packet = new CapturePacket(UUID.randomUUID().toString(), machineName, order, result, previousHash,
                    clock.instant());
            String jws = sign(order, device, packet, commit, probe);
            store(order, device, commit, packet, jws, auditFields(order, modality, device, result, packet, jws));
            probe.mark("store");
            packets.incrementAndGet();
            CaptureAnswer answer = response(packet, result, jws);
            probe.mark("answer");
            return answer;
        }
    }

    private CaptureResult deviceCapture(CaptureOrder order, Device device, CaptureRequest request, HashChain chain)
            throws ApiRefusal {
        try {
            return sbi.registrationCapture(device, request, chain);
        } catch (DeviceAnswerRejected e) {
            refuse(order, e.reason().name(), device);
            if (e.reason() == org.stationtrust.sbi.client.RejectionReason.SIGNER_MISMATCH) {
                // a device replugged or re-keyed since discovery: its device info is read again, and checked again,
                // so that the operator's next capture is judged against the key it signs with now
                devices.rediscover();
            }
            throw DeviceFailures.refusal(e);
        }
    }

    /** The packet signed once by the TPM machine key; a failure keeps the chain step (the device's chain advanced). */
    private String sign(CaptureOrder order, Device device, CapturePacket packet, CaptureCommit.Step commit,
                        CaptureProbe probe) throws ApiRefusal {
        try {
            byte[] payload = packet.payload(signer.keyId());
            probe.mark("packetBuild");
            String jws = MachineJws.sign(signer, JwsType.CAPTURE_PACKET, payload);
            probe.mark("tpmSign");
            return jws;
        } catch (MachineSigner.SigningUnavailable e) {
            commit.chainOnly();
            refuse(order, "TPM_SIGNING_FAILED", device);
            throw new ApiRefusal(RefusalCode.TPM_UNAVAILABLE, "the capture was verified but the TPM could not sign the packet: "
                    + e.getMessage());
        }
    }

    /** Stores packet and record, or neither (then the refusal is audited as far as the disk allows). */
    private void store(CaptureOrder order, Device device, CaptureCommit.Step commit, CapturePacket packet, String jws,
                       Map<String, Object> auditFields) throws ApiRefusal {
        try {
            commit.store(packet.packetId(), jws, auditFields);
        } catch (java.io.UncheckedIOException | StorageUnavailable e) {
            refuseQuietly(order, device);
            throw new ApiRefusal(RefusalCode.STORAGE_UNAVAILABLE, "the capture was verified but could not be stored, so nothing"
                    + " of it will be sent; free space in the agent's state directory and capture again: " + e.getMessage());
        } catch (RuntimeException e) {
            refuseQuietly(order, device);
            throw e;
        }
    }

    private static Map<String, Object> auditFields(CaptureOrder order, Modality modality, Device device, CaptureResult result,
                                                   CapturePacket packet, String jws) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("packetId", packet.packetId());
        fields.put("registrationId", order.registrationId());
        fields.put("consentReference", order.consentReference());
        fields.put("operator", order.operator());
        fields.put("modality", modality.wireName());
        fields.put("deviceSerialNo", device.serialNo());
        fields.put("transactionId", result.transactionId());
        fields.put("bioSubTypes", CapturePacket.subTypes(result));
        fields.put("packetSha256", sha256Hex(jws));
        return fields;
    }

    /** A capture that could not be stored: its refusal is audited, as far as the disk allows. */
    private void refuseQuietly(CaptureOrder order, Device device) {
        try {
            refuse(order, "STORAGE_UNAVAILABLE", device);
        } catch (RuntimeException e) {
            LOG.warn("capture.refusal_not_audited", "registrationId", order.registrationId(), "reason", e.getMessage());
        }
    }

    /** Stops the writers' threads (after the local API stopped taking captures). */
    @Override
    public void close() {
        commits.close();
    }

    /**
     * Packets made so far and the TPM calls made for them: the signer given to this flow is its only way to the TPM
     * and is used by nothing else, so its signatures are the packet path's TPM calls (one per packet).
     */
    public StatusAnswer.PacketPath packetPath() {
        return new StatusAnswer.PacketPath(packets.get(), signer.signatures());
    }

    private Device chooseDevice(CaptureOrder order, Modality modality) throws ApiRefusal {
        if (order.deviceId().isPresent()) {
            Device d = devices.byAgentId(order.deviceId().get()).orElseThrow(() -> refusal(order, RefusalCode.DEVICE_NOT_FOUND,
                    "no device with id " + order.deviceId().get() + "; list devices with GET /v1/devices"));
            if (d.type() != modality) {
                throw refusal(order, RefusalCode.BAD_CAPTURE_REQUEST, "device " + order.deviceId().get() + " is a "
                        + d.type().wireName() + " device, the order asks for " + modality.wireName());
            }
            return d;
        }
        return devices.forCapture(modality, order.deviceSubId()).orElseThrow(() -> refusal(order, RefusalCode.NO_TRUSTED_DEVICE,
                "no trusted " + modality.wireName() + " device with deviceSubId " + order.deviceSubId()
                        + " was found on 127.0.0.1; connect the device, start its SBI service, and check GET /v1/devices"));
    }

    private CaptureRequest request(CaptureOrder order, Modality modality) throws ApiRefusal {
        try {
            int count = modality.sensorCount(order.deviceSubId()) - order.exceptions().size();
            return new CaptureRequest(modality, order.deviceSubId(), count, order.subtypes(), order.exceptions(),
                    order.requestedScore(), order.timeout(), false);
        } catch (IllegalArgumentException e) {
            throw refusal(order, RefusalCode.BAD_CAPTURE_REQUEST, e.getMessage());
        }
    }

    private ApiRefusal refusal(CaptureOrder order, RefusalCode code, String reason) {
        refuse(order, code.wire(), null);
        return new ApiRefusal(code, reason);
    }

    private void refuse(CaptureOrder order, String code, Device device) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("registrationId", order.registrationId());
        fields.put("consentReference", order.consentReference());
        fields.put("operator", order.operator());
        fields.put("modality", order.modality().wireName());
        fields.put("reason", code);
        if (device != null) fields.put("deviceSerialNo", device.serialNo());
        audit.append("capture.refused", fields);
    }

    private static CaptureAnswer response(CapturePacket packet, CaptureResult result, String jws) {
        List<CaptureAnswer.Biometric> biometrics = new ArrayList<>();
        for (BiometricSample s : result.samples()) {
            biometrics.add(new CaptureAnswer.Biometric(s.bioType().wireName(), s.bioSubType(), s.qualityScore(), s.hash(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(s.bioValue())));
        }
        return new CaptureAnswer(packet.packetId(), result.transactionId(), DeviceDirectory.agentId(result.device()),
                packet.previousHash(), result.lastHash(), biometrics, jws);
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
