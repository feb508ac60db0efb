package org.stationtrust.tpm.eventlog;

import java.security.MessageDigest;
import java.util.Arrays;
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
    /** The value is bytes [offset, offset + length) of this array: the parser's copy of the whole log. */
    private final byte[] bytes;
    private final int offset;
    private final int length;

    public EventDigest(int algorithmId, byte[] value) {
        this(algorithmId, value.clone(), 0, value.length);
    }

    /**
     * The parser's constructor: a region of its own copy of the log, never written after parsing (a log holds
     * thousands of digests; one copy of it costs less than a copy of each).
     */
    EventDigest(int algorithmId, byte[] bytes, int offset, int length) {
        if (algorithmId < 0 || algorithmId > 0xffff) {
            throw new IllegalArgumentException("a TPM_ALG_ID is 16 bits, got " + algorithmId);
        }
        this.algorithmId = algorithmId;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    public int algorithmId() {
        return algorithmId;
    }

    public byte[] value() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** Whether this digest equals {@code candidate} (constant time for equal lengths, as MessageDigest.isEqual). */
    boolean matches(byte[] candidate) {
        if (candidate.length != length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= bytes[offset + i] ^ candidate[i];
        }
        return diff == 0;
    }

    /** Feeds the value to {@code md} without a copy (the replay's extend). */
    void updateInto(MessageDigest md) {
        md.update(bytes, offset, length);
    }

    public Optional<HashAlgorithm> hash() {
        return HashAlgorithm.fromId(algorithmId);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }

    @Override
    public String toString() {
        return "0x" + Integer.toHexString(algorithmId) + ":" + hex();
    }
}
