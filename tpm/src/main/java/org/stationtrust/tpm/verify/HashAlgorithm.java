package org.stationtrust.tpm.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.stationtrust.tpm.verify.internal.TpmConstants;

/** A TPM hash algorithm (TPM_ALG_ID) with its JCA name and digest size. */
public enum HashAlgorithm {
    SHA1(TpmConstants.ALG_SHA1, "SHA-1", 20),
    SHA256(TpmConstants.ALG_SHA256, "SHA-256", 32),
    SHA384(TpmConstants.ALG_SHA384, "SHA-384", 48),
    SHA512(TpmConstants.ALG_SHA512, "SHA-512", 64);

    private static final HashAlgorithm[] VALUES = values();

    private final int id;
    private final String jcaName;
    private final int digestLength;
    /**
     * Never used itself, only copied: a copy of a fresh digest costs a small array copy, where
     * {@code MessageDigest.getInstance} looks the provider up and instantiates by reflection each time (about 5 % of
     * judging a boot event log, which asks for a digest per event). Copying an untouched digest only reads it, so
     * threads may copy it at once.
     */
    private final MessageDigest prototype;

    HashAlgorithm(int id, String jcaName, int digestLength) {
        this.id = id;
        this.jcaName = jcaName;
        this.digestLength = digestLength;
        this.prototype = lookUp(jcaName);
    }

    public int id() {
        return id;
    }

    public String jcaName() {
        return jcaName;
    }

    public int digestLength() {
        return digestLength;
    }

    /** JCA name without the dash, as used in "SHA256withECDSA" and "HmacSHA256". */
    public String compactName() {
        return jcaName.replace("-", "");
    }

    public static Optional<HashAlgorithm> fromId(int id) {
        // a loop, not a stream: the event log replay asks once per digest
        for (HashAlgorithm h : VALUES) {
            if (h.id == id) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    public MessageDigest newDigest() {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp(jcaName);
        }
    }

    private static MessageDigest lookUp(String jcaName) {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName + ", which every Java 17 has", e);
        }
    }

    public byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }
}
