package org.stationtrust.agent.internal.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.stationtrust.agent.internal.api.CaptureOrder;
import org.stationtrust.sbi.client.BiometricSample;
import org.stationtrust.sbi.client.CaptureResult;
import org.stationtrust.sbi.client.Device;

/**
 * The payload of a capture packet: who captured what, on which device, under which consent, and the
 * device's own signed answers ({@code data}) so the server can re-check them. Signed once by the TPM
 * machine key as a compact JWS of typ {@code capture-packet+jws}.
 */
public record CapturePacket(String packetId, String machineName, CaptureOrder order, CaptureResult result,
                            String previousHash, Instant createdAt) {
    public static final String TYP = "capture-packet+jws";
    private static final ObjectMapper JSON = new ObjectMapper();

    public CapturePacket {
        Objects.requireNonNull(packetId);
        Objects.requireNonNull(machineName);
        Objects.requireNonNull(order);
        Objects.requireNonNull(result);
        Objects.requireNonNull(previousHash);
        Objects.requireNonNull(createdAt);
    }

    public byte[] payload(String machineId) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "capture-packet");
        root.put("version", 1);
        root.put("packetId", packetId);
        root.put("machineId", machineId);
        root.put("machineName", machineName);
        root.put("registrationId", order.registrationId());
        root.put("consentReference", order.consentReference());
        root.put("operator", order.operator());
        root.put("createdAt", createdAt.toString());
        root.put("modality", result.device().type().wireName());
        root.put("deviceSubId", order.deviceSubId());
        root.put("transactionId", result.transactionId());
        root.put("previousHash", previousHash);
        root.put("lastHash", result.lastHash());
        root.set("exceptions", JSON.valueToTree(order.exceptions()));
        root.set("device", device(result.device()));
        ArrayNode biometrics = root.putArray("biometrics");
        for (BiometricSample s : result.samples()) {
            ObjectNode b = biometrics.addObject();
            b.put("bioType", s.bioType().wireName());
            b.put("bioSubType", s.bioSubType());
            b.put("qualityScore", s.qualityScore());
            b.put("requestedScore", order.requestedScore());
            b.put("timestamp", s.timestamp().toString());
            b.put("hash", s.hash());
            b.put("data", s.signedData());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot serialise a capture packet", e);
        }
    }

    static List<String> subTypes(CaptureResult result) {
        return result.samples().stream().map(BiometricSample::bioSubType).toList();
    }

    private static ObjectNode device(Device d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("deviceId", d.deviceId());
        node.put("serialNo", d.serialNo());
        node.put("make", d.make());
        node.put("model", d.model());
        node.put("provider", d.provider());
        node.put("deviceCode", d.deviceCode());
        node.put("certification", d.certification());
        node.put("firmware", d.firmware());
        d.certificate().ifPresent(c -> {
            try {
                node.put("certificateSha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())));
            } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        return node;
    }
}
