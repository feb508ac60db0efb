package org.stationtrust.tpm;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.stationtrust.tpm.internal.Objects.Primary;
import org.stationtrust.tpm.internal.TpmChannel;
import org.stationtrust.tpm.internal.Templates;
import org.stationtrust.tpm.verify.EkCertificateValidator;
import org.stationtrust.tpm.verify.EkKeyMismatch;
import org.stationtrust.tpm.verify.TpmPublic;

import tss.tpm.GetCapabilityResponse;
import tss.tpm.NV_ReadPublicResponse;
import tss.tpm.TPML_TAGGED_TPM_PROPERTY;
import tss.tpm.TPMS_TAGGED_PROPERTY;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;

/**
 * The TPM's endorsement key: the certificate the manufacturer stored in NV and the EK public area
 * recreated from the TCG default template, proven to hold the same public key.
 */
public final class EndorsementKey {
    /** The EK kinds we read, in order of preference, with their certificate NV index (TCG EK profile 2.3). */
    public enum Kind {
        RSA_2048(0x01C00002, Templates::rsa2048EndorsementKey),
        ECC_P256(0x01C0000A, Templates::eccP256EndorsementKey),
        /** Where swtpm puts its ECC EK certificate (TCG high-range template H-3). */
        ECC_P384(0x01C00016, Templates::eccP384EndorsementKey);

        private final int certificateIndex;
        private final Supplier<TPMT_PUBLIC> template;

        Kind(int certificateIndex, Supplier<TPMT_PUBLIC> template) {
            this.certificateIndex = certificateIndex;
            this.template = template;
        }

        public int certificateIndex() {
            return certificateIndex;
        }

        TPMT_PUBLIC template() {
            return template.get();
        }
    }

    /** EK certificates are 1-2 KiB; refuse anything implausibly large before reading it. */
    private static final int MAX_CERTIFICATE = 8 * 1024;
    private static final int TPM_PT_NV_BUFFER_MAX = 0x12C;

    private final Kind kind;
    private final X509Certificate certificate;
    private final TpmPublic publicArea;

    private EndorsementKey(Kind kind, X509Certificate certificate, TpmPublic publicArea) {
        this.kind = kind;
        this.certificate = certificate;
        this.publicArea = publicArea;
    }

    /** The preferred EK (RSA 2048, then ECC P-256, then ECC P-384) whose certificate is present. */
    public static EndorsementKey read(TpmConnection connection) throws TpmException {
        List<Kind> present = presentKinds(connection);
        return read(connection.channel(), present.get(0));
    }

    /** Every EK with a certificate in NV, each proven to match its recreated key, in preference order. */
    public static List<EndorsementKey> readAll(TpmConnection connection) throws TpmException {
        List<EndorsementKey> found = new ArrayList<>();
        for (Kind kind : presentKinds(connection)) {
            found.add(read(connection.channel(), kind));
        }
        return List.copyOf(found);
    }

    private static List<Kind> presentKinds(TpmConnection connection) throws TpmException {
        List<TPM_HANDLE> indices = connection.channel().handles(0x01000000);
        List<Kind> present = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (indices.stream().anyMatch(h -> h.handle == kind.certificateIndex)) {
                present.add(kind);
            }
        }
        if (present.isEmpty()) {
            throw new EndorsementCertificateMissing("the TPM on " + connection.uri() + " holds no EK certificate at NV "
                    + "0x01C00002 (RSA), 0x01C0000A (ECC P-256) or 0x01C00016 (ECC P-384): some firmware TPMs ship "
                    + "without one; obtain it from the TPM vendor and enroll the machine out of band");
        }
        return present;
    }

    private static EndorsementKey read(TpmChannel channel, Kind kind) throws TpmException {
        X509Certificate certificate = parseCertificate(kind, readNv(channel, kind.certificateIndex));
        TpmPublic ek = recreate(channel, kind);
        try {
            EkCertificateValidator.requireSameKey(certificate, ek);
        } catch (EkKeyMismatch e) {
            throw new EndorsementKeyMismatch("the " + kind + " EK recreated from the TCG default template does not hold "
                    + "the key of the certificate at NV 0x" + Integer.toHexString(kind.certificateIndex) + " ("
                    + e.getMessage() + "); the TPM may use a non-default EK template (NV 0x01C00004/0x01C0000C): "
                    + "this module does not support that", e);
        }
        return new EndorsementKey(kind, certificate, ek);
    }

    /** Recreates the EK (CreatePrimary under the endorsement hierarchy) and flushes it again. */
    static TpmPublic recreate(TpmChannel channel, Kind kind) throws TpmException {
        Primary primary = org.stationtrust.tpm.internal.Objects.createPrimary(channel, TPM_HANDLE.ENDORSEMENT, kind.template());
        try {
            return org.stationtrust.tpm.internal.Objects.toTpmPublic(primary.publicArea());
        } finally {
            channel.flushQuietly(primary.handle());
        }
    }

    private static byte[] readNv(TpmChannel channel, int index) throws TpmException {
        TPM_HANDLE handle = new TPM_HANDLE(index); // not TPM_HANDLE.NV(): it adds 0x01000000 again
        NV_ReadPublicResponse info = channel.call("TPM2_NV_ReadPublic", t -> t.NV_ReadPublic(handle));
        int size = info.nvPublic.dataSize;
        if (size <= 0 || size > MAX_CERTIFICATE) {
            throw new TpmProtocolError(String.format("NV index 0x%08X claims %d bytes; an EK certificate has 1..%d",
                    index, size, MAX_CERTIFICATE));
        }
        int chunk = nvBufferMax(channel);
        byte[] data = new byte[size];
        for (int offset = 0; offset < size; offset += chunk) {
            int length = Math.min(chunk, size - offset);
            int at = offset;
            byte[] part = channel.call("TPM2_NV_Read", t -> t.NV_Read(handle, handle, length, at));
            if (part == null || part.length != length) {
                throw new TpmProtocolError(String.format("TPM2_NV_Read of 0x%08X at %d returned %d bytes, asked %d",
                        index, at, part == null ? 0 : part.length, length));
            }
            System.arraycopy(part, 0, data, at, length);
        }
        return data;
    }

    private static int nvBufferMax(TpmChannel channel) throws TpmException {
        GetCapabilityResponse r = channel.call("TPM2_GetCapability",
                t -> t.GetCapability(TPM_CAP.TPM_PROPERTIES, TPM_PT_NV_BUFFER_MAX, 1));
        if (r.capabilityData instanceof TPML_TAGGED_TPM_PROPERTY list && list.tpmProperty != null) {
            for (TPMS_TAGGED_PROPERTY p : list.tpmProperty) {
                if (p.property.toInt() == TPM_PT_NV_BUFFER_MAX && p.value >= 64) {
                    return Math.min(p.value, 1024);
                }
            }
        }
        return 512;
    }

    private static X509Certificate parseCertificate(Kind kind, byte[] nv) throws TpmException {
        // Some TPMs pad the NV index after the certificate: take exactly the outer DER SEQUENCE.
        int length = org.stationtrust.tpm.verify.EkCertificateValidator.outerSequenceLength(nv);
        if (length < 0 || length > nv.length) {
            throw new TpmProtocolError(String.format("NV 0x%08X does not start with a DER certificate (%d bytes read)",
                    kind.certificateIndex, nv.length));
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(nv, 0, length));
        } catch (CertificateException e) {
            throw new TpmProtocolError(String.format("NV 0x%08X holds bytes that are not an X.509 certificate: %s",
                    kind.certificateIndex, e.getMessage()), e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The EK certificate from NV. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The EK public area (same key as the certificate), as sent to the server for MakeCredential. */
    public TpmPublic publicArea() {
        return publicArea;
    }

    /** The EK's TPM Name (nameAlg || H(public area)). */
    public byte[] name() {
        return publicArea.name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndorsementKey other && kind == other.kind && publicArea.equals(other.publicArea)
                && certificate.equals(other.certificate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, publicArea);
    }

    @Override
    public String toString() {
        return "EndorsementKey[" + kind + ", " + certificate.getSubjectX500Principal() + "]";
    }
}
