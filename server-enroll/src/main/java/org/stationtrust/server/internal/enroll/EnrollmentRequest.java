package org.stationtrust.server.internal.enroll;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.stationtrust.server.internal.http.JsonBodies;

/** POST /api/v1/enrollments body (docs/server-api.md). Binary fields are standard base64. */
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

    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._()-]| (?! )){0,127}(?<! )");

    public EnrollmentRequest {
        JsonBodies.requireText("machineName", machineName, 128);
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
        if (ekCertificateChain != null && ekCertificateChain.size() > 4) {
            throw new IllegalArgumentException("ekCertificateChain holds at most 4 certificates");
        }
        ekCertificateChain = ekCertificateChain == null ? List.of() : List.copyOf(ekCertificateChain);
        if (enrollmentToken != null) JsonBodies.requireText("enrollmentToken", enrollmentToken, 100);
    }

    /** The qualifying data the AK puts into its certification of the machine key at enrollment. */
    public static byte[] certifyQualifyingData(String machineName) {
        return org.stationtrust.server.internal.auth.Secrets.sha256(("station-trust:enroll:" + machineName)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
