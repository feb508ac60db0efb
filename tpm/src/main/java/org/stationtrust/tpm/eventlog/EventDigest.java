package org.stationtrust.tpm.eventlog;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * One digest of an event: the TPM_ALG_ID of its bank and the value extended into that bank. An
 * algorithm this package does not implement (e.g. SM3) is kept with the size the log header gave it,
 * but cannot be replayed. Immutable; {@link #value()} returns a copy.
 */
public final class EventDigest {
    private final int algorithmId;
    private final byte[] value;

    public EventDigest(int algorithmId, byte[] value) {
        this(algorithmId, value.clone(), true);
    }

    /** The parser's constructor: the array is fresh and never shared. */
    EventDigest(int algorithmId, byte[] value, boolean owned) {
        if (algorithmId < 0 || algorithmId > 0xffff) {
            throw new IllegalArgumentException("a TPM_ALG_ID is 16 bits, got " + algorithmId);
        }
        this.algorithmId = algorithmId;
        this.value = value;
    }

    public int algorithmId() {
        return algorithmId;
    }

    public byte[] value() {
        return value.clone();
    }

    /** Whether this digest equals {@code candidate} (constant time, no copy). */
    boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(value, candidate);
    }

    byte[] valueUnsafe() {
        return value;
    }

    public Optional<HashAlgorithm> hash() {
        return HashAlgorithm.fromId(algorithmId);
    }

    public String hex() {
        return HexFormat.of().formatHex(value);
    }

    @Override
    public String toString() {
        return "0x" + Integer.toHexString(algorithmId) + ":" + hex();
    }
}
