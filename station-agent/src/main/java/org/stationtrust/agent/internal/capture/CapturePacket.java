package org.stationtrust.agent.internal.capture;

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
 * machine key as a compact JWS of type {@link org.stationtrust.protocol.JwsType#CAPTURE_PACKET}; its wire form is the
 * protocol's {@link org.stationtrust.protocol.CapturePacket}.
 */
public record CapturePacket(String packetId, String machineName, CaptureOrder order, CaptureResult result,
                            String previousHash, Instant createdAt) {

    public CapturePacket {
        Objects.requireNonNull(packetId);
        Objects.requireNonNull(machineName);
        Objects.requireNonNull(order);
        Objects.requireNonNull(result);
        Objects.requireNonNull(previousHash);
        Objects.requireNonNull(createdAt);
    }

    /** The payload to sign: the protocol's {@link org.stationtrust.protocol.CapturePacket}, validated as it is built. */
    public byte[] payload(String machineId) {
        List<org.stationtrust.protocol.CapturePacket.Biometric> biometrics = result.samples().stream()
                .map(s -> new org.stationtrust.protocol.CapturePacket.Biometric(s.bioType().wireName(), s.bioSubType(),
                        s.qualityScore(), order.requestedScore(), s.timestamp().toString(), s.hash(), s.signedData()))
                .toList();
        return new org.stationtrust.protocol.CapturePacket(org.stationtrust.protocol.CapturePacket.TYPE,
                org.stationtrust.protocol.CapturePacket.VERSION, packetId, machineId, machineName, order.registrationId(),
                order.consentReference(), order.operator(), createdAt.toString(), result.device().type().wireName(),
                order.deviceSubId(), result.transactionId(), previousHash, result.lastHash(), order.exceptions(),
                device(result.device()), biometrics).toJson();
    }

    static List<String> subTypes(CaptureResult result) {
        return result.samples().stream().map(BiometricSample::bioSubType).toList();
    }

    private static org.stationtrust.protocol.CapturePacket.Device device(Device d) {
        String certificateSha256 = d.certificate().map(c -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
            } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }).orElse(null);
        return new org.stationtrust.protocol.CapturePacket.Device(d.deviceId(), d.serialNo(), d.make(), d.model(),
                d.provider(), d.deviceCode(), d.certification(), d.firmware(), certificateSha256);
    }
}
