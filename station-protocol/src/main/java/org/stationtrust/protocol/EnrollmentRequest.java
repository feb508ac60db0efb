package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v1/enrollments} (docs/server-api.md, "Enrollment"). Binary fields are standard base64; TPM
 * structures without their TPM2B size prefix.
 */
public record EnrollmentRequest(
        @JsonProperty(value = "machineName", required = true) String machineName,
        @JsonProperty("ekCertificate") String ekCertificate,
        @JsonProperty("ekCertificateChain") List<String> ekCertificateChain,
        @JsonProperty(value = "ekPublic", required = true) String ekPublic,
        @JsonProperty(value = "akPublic", required = true) String akPublic,
        @JsonProperty(value = "machineKeyPublic", required = true) String machineKeyPublic,
        @JsonProperty(value = "machineKeyCertifyInfo", required = true) String machineKeyCertifyInfo,
        @JsonProperty(value = "machineKeyCertifySignature", required = true) String machineKeyCertifySignature,
        @JsonProperty("enrollmentToken") String enrollmentToken) {
    public static final int MAX_CHAIN = 4;

    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._()-]| (?! )){0,127}(?<! )");

    public EnrollmentRequest {
        Fields.requireText("machineName", machineName, 128);
        if (!NAME.matcher(machineName).matches()) {
            // Operators tell stations apart by name: no direction overrides, zero-width or look-alike letters from
            // other scripts, no leading, trailing or doubled spaces (docs/server-api.md, "Enrollment").
            throw new IllegalArgumentException("Field 'machineName' must be 1-128 characters of A-Z a-z 0-9, space, "
                    + "'.', '_', '-', '(' or ')', starting with a letter or digit, without leading, trailing or doubled "
                    + "spaces");
        }
        for (String f : new String[] {ekPublic, akPublic, machineKeyPublic, machineKeyCertifyInfo,
                machineKeyCertifySignature}) {
            if (f == null) throw new IllegalArgumentException("ekPublic, akPublic, machineKeyPublic, "
                    + "machineKeyCertifyInfo and machineKeyCertifySignature are required");
        }
        if (ekCertificateChain != null && ekCertificateChain.size() > MAX_CHAIN) {
            throw new IllegalArgumentException("ekCertificateChain holds at most " + MAX_CHAIN + " certificates");
        }
        ekCertificateChain = ekCertificateChain == null ? List.of() : List.copyOf(ekCertificateChain);
        if (enrollmentToken != null) Fields.requireText("enrollmentToken", enrollmentToken, 100);
    }
}
