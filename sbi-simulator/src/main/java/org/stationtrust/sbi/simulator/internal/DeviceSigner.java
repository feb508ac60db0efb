package org.stationtrust.sbi.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.sbi.simulator.FaultMode;

/**
 * Makes the compact JWS of SBI 0.9.5 §Signature: header {@code {"alg":"RS256","typ":"JWT","x5c":[...]}},
 * payload base64url, RS256 signature. The device key signs device info and capture data; the digitalId is signed by
 * the device key (L0) or by the FTM chip key (L1). The signature-level fault modes are applied here and only here.
 */
public final class DeviceSigner {
    private final DeviceCredentials credentials;
    private final Optional<DeviceCredentials> ftmChip;

    /** An L0 device: its device key signs everything. */
    public DeviceSigner(DeviceCredentials credentials) {
        this(credentials, Optional.empty());
    }

    /** {@code ftmChip} present: an L1 device whose chip key (issued by the FTM provider) signs the digitalId. */
    public DeviceSigner(DeviceCredentials credentials, Optional<DeviceCredentials> ftmChip) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.ftmChip = Objects.requireNonNull(ftmChip, "ftmChip");
    }

    /** L1 when an FTM chip signs the digitalId, else L0. */
    public String certification() {
        return ftmChip.isPresent() ? "L1" : "L0";
    }

    /** Signs with the device key (device info, capture data). */
    public String sign(byte[] payload, FaultMode fault) {
        return sign(credentials, payload, fault);
    }

    /** Signs a digitalId: the FTM chip key of an L1 device, the device key of an L0 one. */
    public String signDigitalId(byte[] payload, FaultMode fault) {
        return sign(ftmChip.orElse(credentials), payload, fault);
    }

    private static String sign(DeviceCredentials credentials, byte[] payload, FaultMode fault) {
        DeviceCredentials.SigningIdentity id = switch (fault) {
            case EXPIRED_CERTIFICATE -> credentials.expired();
            case UNTRUSTED_CA -> credentials.untrusted();
            default -> credentials.current();
        };
        ObjectNode header = Wire.JSON.createObjectNode();
        header.put("alg", fault == FaultMode.ALG_NONE ? "none" : "RS256");
        header.put("typ", "JWT");
        if (fault != FaultMode.MISSING_X5C) {
            try {
                // RFC 7515 §4.1.6: x5c entries are standard base64 (not base64url) DER.
                header.putArray("x5c").add(Base64.getEncoder().encodeToString(id.certificate().getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("Device certificate cannot be encoded", e);
            }
        }
        String signingInput = Wire.base64Url(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + Wire.base64Url(payload);
        if (fault == FaultMode.ALG_NONE) {
            return signingInput + ".";
        }
        byte[] signature = rs256(id, signingInput.getBytes(StandardCharsets.US_ASCII));
        if (fault == FaultMode.BAD_SIGNATURE) {
            signature[signature.length / 2] ^= 0x5A;
        }
        return signingInput + "." + Wire.base64Url(signature);
    }

    private static byte[] rs256(DeviceCredentials.SigningIdentity id, byte[] input) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(id.key());
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
    }
}
