package org.stationtrust.tpm.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmReader;

/**
 * A parsed TPMS_ATTEST (TPM 2.0 Part 2 §10.12.12) of type quote or certify; the other attestation
 * types are rejected at parse. Parsing does not judge the evidence: the verifiers check magic, type,
 * extraData, digests and signature.
 */
public final class Attestation {
    public static final int MAX_SIZE = 1024;

    /** The two attestation types this package accepts. */
    public enum Type {
        QUOTE(TpmConstants.ST_ATTEST_QUOTE), CERTIFY(TpmConstants.ST_ATTEST_CERTIFY);

        private final int id;

        Type(int id) {
            this.id = id;
        }

        public int id() {
            return id;
        }
    }

    /** TPMS_CLOCK_INFO. For keys outside the endorsement and platform hierarchies the TPM obfuscates these. */
    public record ClockInfo(long clock, long resetCount, long restartCount, boolean safe) {
    }

    /** TPMS_QUOTE_INFO: the PCRs quoted and the digest of their values. */
    public record QuoteInfo(List<PcrBankSelection> pcrSelection, byte[] pcrDigest) {
        public QuoteInfo {
            pcrSelection = List.copyOf(pcrSelection);
            pcrDigest = pcrDigest.clone();
        }

        @Override
        public byte[] pcrDigest() {
            return pcrDigest.clone();
        }
    }

    /** TPMS_CERTIFY_INFO: the Name and qualified Name of the certified object. */
    public record CertifyInfo(byte[] name, byte[] qualifiedName) {
        public CertifyInfo {
            name = name.clone();
            qualifiedName = qualifiedName.clone();
        }

        @Override
        public byte[] name() {
            return name.clone();
        }

        @Override
        public byte[] qualifiedName() {
            return qualifiedName.clone();
        }
    }

    private final long magic;
    private final Type type;
    private final byte[] qualifiedSigner;
    private final byte[] extraData;
    private final ClockInfo clockInfo;
    private final long firmwareVersion;
    private final QuoteInfo quote;
    private final CertifyInfo certify;
    private final byte[] encoded;

    private Attestation(long magic, Type type, byte[] qualifiedSigner, byte[] extraData, ClockInfo clockInfo,
            long firmwareVersion, QuoteInfo quote, CertifyInfo certify, byte[] encoded) {
        this.magic = magic;
        this.type = type;
        this.qualifiedSigner = qualifiedSigner;
        this.extraData = extraData;
        this.clockInfo = clockInfo;
        this.firmwareVersion = firmwareVersion;
        this.quote = quote;
        this.certify = certify;
        this.encoded = encoded;
    }

    /** Parses a TPMS_ATTEST (the content of a TPM2B_ATTEST, without its size prefix). */
    public static Attestation parse(byte[] tpmsAttest) throws MalformedTpmStructure {
        TpmReader r = new TpmReader(tpmsAttest, "TPMS_ATTEST", MAX_SIZE);
        long magic = r.u32("magic");
        int typeAt = r.offset();
        int typeId = r.u16("type");
        Type type;
        if (typeId == TpmConstants.ST_ATTEST_QUOTE) {
            type = Type.QUOTE;
        } else if (typeId == TpmConstants.ST_ATTEST_CERTIFY) {
            type = Type.CERTIFY;
        } else {
            throw r.failAt(typeAt, "type", "TPM_ST_ATTEST_QUOTE (0x8018) or TPM_ST_ATTEST_CERTIFY (0x8017)",
                    TpmReader.hex16(typeId) + describe(typeId) + ", which this verifier does not accept");
        }
        byte[] signer = r.sized("qualifiedSigner", TpmConstants.MAX_NAME);
        byte[] extra = r.sized("extraData", TpmConstants.MAX_DIGEST);
        long clock = r.u64("clockInfo.clock");
        long resetCount = r.u32("clockInfo.resetCount");
        long restartCount = r.u32("clockInfo.restartCount");
        int safeAt = r.offset();
        int safe = r.u8("clockInfo.safe");
        if (safe > 1) {
            throw r.failAt(safeAt, "clockInfo.safe", "YES (1) or NO (0)", String.valueOf(safe));
        }
        long firmware = r.u64("firmwareVersion");
        QuoteInfo quote = null;
        CertifyInfo certify = null;
        if (type == Type.QUOTE) {
            List<PcrBankSelection> sel = PcrBankSelection.read(r, "attested.quote.pcrSelect");
            quote = new QuoteInfo(sel, r.sized("attested.quote.pcrDigest", TpmConstants.MAX_DIGEST));
        } else {
            certify = new CertifyInfo(r.sized("attested.certify.name", TpmConstants.MAX_NAME),
                    r.sized("attested.certify.qualifiedName", TpmConstants.MAX_NAME));
        }
        r.expectEnd();
        return new Attestation(magic, type, signer, extra, new ClockInfo(clock, resetCount, restartCount, safe == 1),
                firmware, quote, certify, tpmsAttest.clone());
    }

    private static String describe(int typeId) {
        return switch (typeId) {
            case TpmConstants.ST_ATTEST_NV -> " (NV)";
            case TpmConstants.ST_ATTEST_COMMAND_AUDIT -> " (command audit)";
            case TpmConstants.ST_ATTEST_SESSION_AUDIT -> " (session audit)";
            case TpmConstants.ST_ATTEST_TIME -> " (time)";
            case TpmConstants.ST_ATTEST_CREATION -> " (creation)";
            case TpmConstants.ST_ATTEST_NV_DIGEST -> " (NV digest)";
            default -> " (unknown)";
        };
    }

    /** Should be TPM_GENERATED_VALUE 0xff544347; the verifiers check it. */
    public long magic() {
        return magic;
    }

    public boolean isTpmGenerated() {
        return magic == TpmConstants.TPM_GENERATED_VALUE;
    }

    public Type type() {
        return type;
    }

    public byte[] qualifiedSigner() {
        return qualifiedSigner.clone();
    }

    public byte[] extraData() {
        return extraData.clone();
    }

    public ClockInfo clockInfo() {
        return clockInfo;
    }

    public long firmwareVersion() {
        return firmwareVersion;
    }

    public Optional<QuoteInfo> quote() {
        return Optional.ofNullable(quote);
    }

    public Optional<CertifyInfo> certify() {
        return Optional.ofNullable(certify);
    }

    /** The exact bytes parsed: the data the TPM signed. */
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attestation other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Attestation[" + type + ", firmware=" + Long.toHexString(firmwareVersion) + "]";
    }
}
