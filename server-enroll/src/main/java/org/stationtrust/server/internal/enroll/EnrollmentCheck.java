package org.stationtrust.server.internal.enroll;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.stationtrust.protocol.EnrollmentRequest;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.tpm.verify.CertifyVerifier;
import org.stationtrust.tpm.verify.CredentialChallenge;
import org.stationtrust.tpm.verify.EkCertificateUntrusted;
import org.stationtrust.tpm.verify.EkCertificateValidator;
import org.stationtrust.tpm.verify.EkKeyMismatch;
import org.stationtrust.tpm.verify.MalformedCertificate;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmVerificationException;
import org.stationtrust.tpm.verify.UnsuitableEndorsementKey;
import org.stationtrust.tpm.verify.ValidatedEkCertificate;

/**
 * Checks what an enrollment request presents (docs/design.md, "Enrollment" step 3): the EK and its certificate against
 * the TPM manufacturer trust store, the AK and machine key and the AK's certification of the machine key; and makes
 * the credential challenge to the EK for the AK's Name. Reads and writes nothing.
 */
final class EnrollmentCheck {
    private final Optional<EkCertificateValidator> ekValidator;

    EnrollmentCheck(Optional<EkCertificateValidator> ekValidator) {
        this.ekValidator = ekValidator;
    }

    /** {@code paddingBytes}: bytes that followed the certificate's DER (NV index padding), recorded in the audit. */
    record CheckedEk(TpmPublic ekPublic, String certificateB64, boolean verified, String subject, String issuer,
                     String serial, String manufacturer, int paddingBytes) {
    }

    static void checkCertification(EnrollmentRequest r, TpmPublic ak, TpmPublic machineKey) {
        try {
            CertifyVerifier.verify(ak, decode("machineKeyCertifyInfo", r.machineKeyCertifyInfo(), 1024),
                    decode("machineKeyCertifySignature", r.machineKeyCertifySignature(), 1024), machineKey,
                    org.stationtrust.protocol.QualifyingData.enrollment(r.machineName()));
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.CERTIFICATION_INVALID, "The AK's certification of the machine key was "
                    + "refused: " + e.getMessage());
        }
    }

    static CredentialChallenge challenge(TpmPublic ekPublic, TpmPublic ak, byte[] secret) {
        try {
            return CredentialChallenge.make(ekPublic, ak.name(), secret);
        } catch (UnsuitableEndorsementKey e) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The EK cannot receive a credential: "
                    + e.getMessage());
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "Cannot make a credential for this EK: "
                    + e.getMessage());
        }
    }

    CheckedEk checkEndorsementKey(EnrollmentRequest r) {
        TpmPublic ekPublic = parsePublic("ekPublic", r.ekPublic());
        KeyRules.requireEndorsementKey(ekPublic);
        if (r.ekCertificate() == null) {
            return new CheckedEk(ekPublic, null, false, null, null, null, null, 0);
        }
        try {
            // Read with tpm2_nvread, the certificate keeps its NV index's padding: take exactly the DER SEQUENCE.
            EkCertificateValidator.NvCertificate nv = EkCertificateValidator.parseNvCertificate(decode("ekCertificate",
                    r.ekCertificate(), EkCertificateValidator.MAX_CERTIFICATE_BYTES));
            X509Certificate cert = nv.certificate();
            List<X509Certificate> chain = new ArrayList<>();
            for (String c : r.ekCertificateChain()) {
                chain.add(EkCertificateValidator.parseCertificate(decode("ekCertificateChain", c,
                        EkCertificateValidator.MAX_CERTIFICATE_BYTES)));
            }
            EkCertificateValidator validator = ekValidator.orElseThrow(() -> new ApiException(
                    ErrorCode.EK_CERTIFICATE_UNTRUSTED, "This server has no TPM manufacturer trust store configured "
                    + "(--ek-trust-store), so no EK certificate can be verified"));
            ValidatedEkCertificate valid = validator.validate(cert, chain);
            EkCertificateValidator.requireSameKey(cert, ekPublic);
            String manufacturer = valid.tpm().map(t -> t.manufacturer() + " " + t.model() + " " + t.version())
                    .orElse(null);
            return new CheckedEk(ekPublic, Base64.getEncoder().encodeToString(cert.getEncoded()), true,
                    cert.getSubjectX500Principal().getName(), cert.getIssuerX500Principal().getName(),
                    cert.getSerialNumber().toString(16), manufacturer, nv.paddingBytes());
        } catch (MalformedCertificate e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "EK certificate is not a DER X.509 certificate: "
                    + e.getMessage());
        } catch (EkCertificateUntrusted e) {
            throw new ApiException(ErrorCode.EK_CERTIFICATE_UNTRUSTED, e.getMessage());
        } catch (EkKeyMismatch e) {
            throw new ApiException(ErrorCode.EK_MISMATCH, e.getMessage());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "EK certificate cannot be re-encoded: " + e.getMessage());
        }
    }

    static TpmPublic parsePublic(String field, String b64) {
        try {
            return TpmPublic.parse(decode(field, b64, TpmPublic.MAX_SIZE));
        } catch (MalformedTpmStructure e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Field '" + field + "' is not a valid TPMT_PUBLIC: "
                    + e.getMessage());
        }
    }

    static byte[] decode(String field, String b64, int max) {
        try {
            return JsonBodies.base64(field, b64, max);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
    }
}
