package org.stationtrust.tpm.eventlog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * One event of the log as the firmware wrote it. Nothing here is trusted by itself: the digests count
 * once the replay of their bank matches a quote, and the data only where a digest equals its hash
 * ({@link #dataMatchesDigest}).
 *
 * @param index position in the log, 0 for the first record
 * @param offset byte offset of the record in the log
 * @param pcr the PCR index the event was extended into (0..23), or {@link #NO_PCR} for an EV_NO_ACTION
 *        event that names none
 * @param type the event type (see {@link EventType}), not covered by the digest
 */
public record MeasuredEvent(int index, long offset, int pcr, long type, List<EventDigest> digests, byte[] data) {
    /** Windows writes informational EV_NO_ACTION events with PCR index 0xffffffff. */
    public static final int NO_PCR = -1;

    public MeasuredEvent {
        if (pcr < NO_PCR || pcr >= ReplayedPcrs.PCR_COUNT || (pcr == NO_PCR && type != EventType.EV_NO_ACTION)) {
            throw new IllegalArgumentException("PCR index 0.." + (ReplayedPcrs.PCR_COUNT - 1)
                    + " (or -1 for EV_NO_ACTION), got " + pcr);
        }
        Objects.requireNonNull(digests, "digests");
        digests = List.copyOf(digests);
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The event data without a copy, for this package's own readers. */
    byte[] dataUnsafe() {
        return data;
    }

    public int dataLength() {
        return data.length;
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
        Optional<EventDigest> d = digest(bank);
        return d.isPresent() && d.get().matches(bank.digest(data));
    }

    @Override
    public String toString() {
        return "event #" + index + " (PCR " + pcr + ", " + typeName() + ", offset " + offset + ")";
    }
}
