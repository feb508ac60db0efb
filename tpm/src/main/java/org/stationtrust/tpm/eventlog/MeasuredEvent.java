package org.stationtrust.tpm.eventlog;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * One event of the log as the firmware wrote it. Nothing here is trusted by itself: the digests count
 * once the replay of their bank matches a quote, and the data only where a digest equals its hash
 * ({@link #dataMatchesDigest}). Immutable; {@link #data()} returns a copy.
 */
public final class MeasuredEvent {
    /** Windows writes informational EV_NO_ACTION events with PCR index 0xffffffff. */
    public static final int NO_PCR = -1;

    private final int index;
    private final long offset;
    private final int pcr;
    private final long type;
    private final List<EventDigest> digests;
    /** The data is bytes [dataOffset, dataOffset + dataLength) of this array (the parser's copy of the whole log). */
    private final byte[] bytes;
    private final int dataOffset;
    private final int dataLength;
    /** The data as an array of its own, made for the readers that parse it (most events are only hashed). */
    private volatile byte[] ownData;

    /**
     * @param index position in the log, 0 for the first record
     * @param offset byte offset of the record in the log
     * @param pcr the PCR index the event was extended into (0..23), or {@link #NO_PCR} for an EV_NO_ACTION event
     *        that names none
     * @param type the event type (see {@link EventType}), not covered by the digest
     */
    public MeasuredEvent(int index, long offset, int pcr, long type, List<EventDigest> digests, byte[] data) {
        this(index, offset, pcr, type, List.copyOf(digests), data.clone(), 0, data.length);
    }

    /**
     * The parser's constructor: the list is fresh and never shared, and the data a region of the parser's copy of
     * the log, never written after parsing; neither is copied again.
     */
    MeasuredEvent(int index, long offset, int pcr, long type, List<EventDigest> digests, byte[] bytes, int dataOffset,
            int dataLength) {
        if (pcr < NO_PCR || pcr >= ReplayedPcrs.PCR_COUNT || (pcr == NO_PCR && type != EventType.EV_NO_ACTION)) {
            throw new IllegalArgumentException("PCR index 0.." + (ReplayedPcrs.PCR_COUNT - 1)
                    + " (or -1 for EV_NO_ACTION), got " + pcr);
        }
        this.index = index;
        this.offset = offset;
        this.pcr = pcr;
        this.type = type;
        this.digests = Objects.requireNonNull(digests, "digests");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        if (dataOffset == 0 && dataLength == bytes.length) {
            this.ownData = bytes;
        }
    }

    public int index() {
        return index;
    }

    public long offset() {
        return offset;
    }

    public int pcr() {
        return pcr;
    }

    public long type() {
        return type;
    }

    public List<EventDigest> digests() {
        return digests;
    }

    public byte[] data() {
        return Arrays.copyOfRange(bytes, dataOffset, dataOffset + dataLength);
    }

    /** The data as an array of its own (made once), for this package's readers; never written. */
    byte[] dataUnsafe() {
        byte[] d = ownData;
        if (d == null) {
            d = data();
            ownData = d;
        }
        return d;
    }

    /** Whether the data is exactly {@code expected}, without a copy. */
    boolean dataEquals(byte[] expected) {
        return Arrays.equals(bytes, dataOffset, dataOffset + dataLength, expected, 0, expected.length);
    }

    /** Byte {@code i} of the data, without a copy. */
    byte dataAt(int i) {
        if (i < 0 || i >= dataLength) {
            throw new IndexOutOfBoundsException("data byte " + i + " of " + dataLength);
        }
        return bytes[dataOffset + i];
    }

    public int dataLength() {
        return dataLength;
    }

    public String typeName() {
        return EventType.name(type);
    }

    public Optional<EventDigest> digest(HashAlgorithm bank) {
        for (EventDigest d : digests) {
            if (d.algorithmId() == bank.id()) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether this event's digest in {@code bank} is the hash of its data: only then does the data say
     * what was measured (TCG PC Client PFP §10.4.1: for most configuration events the digest covers
     * the event data; for code events it covers the code, so their data cannot be checked).
     */
    public boolean dataMatchesDigest(HashAlgorithm bank) {
        return dataMatchesDigest(bank, bank.newDigest());
    }

    /** The same with a digest the caller reuses (reset after use). */
    boolean dataMatchesDigest(HashAlgorithm bank, MessageDigest md) {
        Optional<EventDigest> d = digest(bank);
        if (d.isEmpty()) {
            return false;
        }
        md.update(bytes, dataOffset, dataLength);
        return d.get().matches(md.digest());
    }

    @Override
    public String toString() {
        return "event #" + index + " (PCR " + pcr + ", " + typeName() + ", offset " + offset + ")";
    }
}
