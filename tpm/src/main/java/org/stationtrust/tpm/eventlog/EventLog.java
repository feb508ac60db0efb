package org.stationtrust.tpm.eventlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.stationtrust.tpm.eventlog.internal.LeReader;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * A parsed TCG boot event log (TCG PC Client Platform Firmware Profile 1.05, §10): the SHA-1-only
 * format of TCG_PCR_EVENT records, or the crypto-agile format whose first record is the Spec ID
 * event and whose other records are TCG_PCR_EVENT2. Parsing checks structure only; what the log is
 * worth comes from {@link #replay()} against a quote and from {@link BootState}.
 */
public final class EventLog {
    /** PC Client PFP §10.4.5.1: signature of the crypto-agile Spec ID event, NUL included. */
    private static final byte[] SPEC_ID_03 = "Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII);
    /** PC Client PFP §10.4.5.3: the StartupLocality EV_NO_ACTION event's signature. */
    private static final byte[] STARTUP_LOCALITY = "StartupLocality\0".getBytes(StandardCharsets.US_ASCII);
    private static final int SHA1_DIGEST = 20;
    private static final int PCR_COUNT = 24;
    private static final int MAX_ALGORITHMS = 16;
    private static final long NO_PCR = 0xffffffffL;

    private final EventLogFormat format;
    private final List<SpecIdAlgorithm> algorithms;
    private final List<MeasuredEvent> events;
    private final Set<HashAlgorithm> banks;
    private final Set<HashAlgorithm> partialBanks;
    private final int startupLocality;
    private final int size;
    private final int padding;
    /** Computed once on first use: the log is immutable, and a judge replays it for the quote and the state. */
    private volatile ReplayedPcrs replayed;

    private EventLog(EventLogFormat format, List<SpecIdAlgorithm> algorithms, Set<HashAlgorithm> banks,
            Set<HashAlgorithm> partialBanks, List<MeasuredEvent> events, int startupLocality, int size, int padding) {
        this.format = format;
        this.algorithms = algorithms;
        this.banks = banks;
        this.partialBanks = partialBanks;
        this.events = events;
        this.startupLocality = startupLocality;
        this.size = size;
        this.padding = padding;
    }

    public static EventLog parse(byte[] log) throws MalformedEventLog {
        return parse(log, EventLogLimits.DEFAULT);
    }

    public static EventLog parse(byte[] log, EventLogLimits limits) throws MalformedEventLog {
        Objects.requireNonNull(limits, "limits");
        if (log == null || log.length == 0) {
            throw new MalformedEventLog(0, "expected a TCG event log, got no bytes");
        }
        if (log.length > limits.maxLogBytes()) {
            throw new MalformedEventLog(0, "expected at most " + limits.maxLogBytes() + " bytes, got "
                    + log.length + "; this is not a firmware event log, or the limit is set too low");
        }
        return new Parser(log, limits).parse();
    }

    public EventLogFormat format() {
        return format;
    }

    /** The banks the log header declares (crypto-agile), or SHA-1 alone for the SHA-1 format. */
    public List<SpecIdAlgorithm> algorithms() {
        return algorithms;
    }

    /**
     * The banks this package can replay: declared in the header, implemented here, and carried by every
     * measured event (some firmware declares banks it never fills; those cannot be replayed).
     */
    public Set<HashAlgorithm> banks() {
        return banks;
    }

    /**
     * Banks some measured events carry and others lack. Firmware fills a bank in every event or in none, so a log
     * with such a bank was altered (an event added without it); the bank cannot be replayed, and a weaker complete
     * bank must not be judged in its place.
     */
    public Set<HashAlgorithm> partialBanks() {
        return partialBanks;
    }

    /** Every record, the Spec ID event and other EV_NO_ACTION events included, in log order. */
    public List<MeasuredEvent> events() {
        return events;
    }

    /** The locality the TPM was started from (StartupLocality event), 0 when the log has none. */
    public int startupLocality() {
        return startupLocality;
    }

    public int size() {
        return size;
    }

    /**
     * Bytes after the last event that are all zero or all 0xFF: the unused end of the firmware's log area, which
     * Linux hands over as it is. They are not events; 0 when the log ends with its last event.
     */
    public int padding() {
        return padding;
    }

    /** Recomputes every PCR of every bank from the events (see {@link ReplayedPcrs}). */
    public ReplayedPcrs replay() {
        ReplayedPcrs r = replayed;
        if (r == null) {
            r = ReplayedPcrs.of(this);
            replayed = r;
        }
        return r;
    }

    /** One pass over the bytes; every record bounded by the limits before anything is copied. */
    private static final class Parser {
        private final LeReader r;
        private final EventLogLimits limits;
        private final int size;
        private final List<MeasuredEvent> events = new ArrayList<>();
        private EventLogFormat format = EventLogFormat.SHA1;
        private List<SpecIdAlgorithm> algorithms = List.of(new SpecIdAlgorithm(HashAlgorithm.SHA1.id(), SHA1_DIGEST));
        private int locality;
        private boolean localitySeen;
        private boolean pcr0Extended;
        private boolean[] bankMissing = new boolean[1];
        private boolean[] bankCarried = new boolean[1];
        private int padding;

        /** The parser's own copy of the log: events and digests are regions of it, so nothing else is copied. */
        private final byte[] bytes;

        Parser(byte[] log, EventLogLimits limits) {
            this.bytes = log.clone();
            this.r = LeReader.of(bytes);
            this.limits = limits;
            this.size = log.length;
        }

        EventLog parse() throws MalformedEventLog {
            MeasuredEvent first = readSha1Record();
            if (isSpecIdEvent(first)) {
                format = EventLogFormat.CRYPTO_AGILE;
                algorithms = SpecIdEvent.algorithms(first, MAX_ALGORITHMS);
                bankMissing = new boolean[algorithms.size()];
                bankCarried = new boolean[algorithms.size()];
            } else {
                bankCarried[0] = first.type() != EventType.EV_NO_ACTION;
            }
            accept(first);
            while (!r.atEnd()) {
                if (onlyFillerLeft()) {
                    padding = (int) (size - r.offset());
                    break;
                }
                accept(format == EventLogFormat.CRYPTO_AGILE ? readAgileRecord() : readSha1Record());
            }
            Set<HashAlgorithm> banks = EnumSet.noneOf(HashAlgorithm.class);
            Set<HashAlgorithm> partial = EnumSet.noneOf(HashAlgorithm.class);
            for (int i = 0; i < algorithms.size(); i++) {
                Set<HashAlgorithm> into = !bankMissing[i] ? banks : bankCarried[i] ? partial : null;
                if (into != null) {
                    algorithms.get(i).hash().ifPresent(into::add);
                }
            }
            return new EventLog(format, algorithms, Collections.unmodifiableSet(banks),
                    Collections.unmodifiableSet(partial), List.copyOf(events), locality, size, padding);
        }

        /** The rest of the log is all zero or all 0xFF bytes: the unused end of the log area, not a record. */
        private boolean onlyFillerLeft() {
            int from = (int) r.offset();
            byte filler = bytes[from];
            if (filler != 0 && filler != (byte) 0xff) {
                return false;
            }
            for (int i = from + 1; i < size; i++) {
                if (bytes[i] != filler) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isSpecIdEvent(MeasuredEvent e) {
            byte[] d = e.dataUnsafe();
            return e.type() == EventType.EV_NO_ACTION && d.length >= SPEC_ID_03.length
                    && Arrays.equals(d, 0, SPEC_ID_03.length, SPEC_ID_03, 0, SPEC_ID_03.length);
        }

        private void accept(MeasuredEvent e) throws MalformedEventLog {
            if (events.size() >= limits.maxEvents()) {
                throw new MalformedEventLog(e.offset(), "expected at most " + limits.maxEvents() + " events, got more");
            }
            if (e.type() == EventType.EV_NO_ACTION) {
                readStartupLocality(e);
            } else if (e.pcr() == 0) {
                pcr0Extended = true;
            }
            events.add(e);
        }

        /** PC Client PFP §10.4.5.3: sets PCR 0's initial value, so it must come before any PCR 0 extend. */
        private void readStartupLocality(MeasuredEvent e) throws MalformedEventLog {
            byte[] d = e.dataUnsafe();
            if (d.length < STARTUP_LOCALITY.length
                    || !Arrays.equals(d, 0, STARTUP_LOCALITY.length, STARTUP_LOCALITY, 0, STARTUP_LOCALITY.length)) {
                return;
            }
            if (d.length != STARTUP_LOCALITY.length + 1) {
                throw new MalformedEventLog(e.offset(), "StartupLocality event: expected 17 bytes of data, got " + d.length);
            }
            int value = d[STARTUP_LOCALITY.length] & 0xff;
            if (e.pcr() != 0 || localitySeen || pcr0Extended || value > 4) {
                throw new MalformedEventLog(e.offset(), "StartupLocality event: expected one, in PCR 0, before any"
                        + " PCR 0 measurement, locality 0..4; got PCR " + e.pcr() + ", locality " + value
                        + (localitySeen ? ", a second one" : "") + (pcr0Extended ? ", after a PCR 0 measurement" : ""));
            }
            localitySeen = true;
            locality = value;
        }

        /** TCG_PCR_EVENT (PC Client PFP §10.2.1): PCR, type, one SHA-1 digest, data. */
        private MeasuredEvent readSha1Record() throws MalformedEventLog {
            long at = r.offset();
            long pcr = r.u32("pcrIndex");
            long type = r.u32("eventType");
            int digest = r.take("digest", SHA1_DIGEST);
            int length = eventDataLength();
            int data = r.take("event", length);
            return new MeasuredEvent(events.size(), at, checkPcr(pcr, type, at), type,
                    List.of(new EventDigest(HashAlgorithm.SHA1.id(), bytes, digest, SHA1_DIGEST)), bytes, data, length);
        }

        /** TCG_PCR_EVENT2 (PC Client PFP §10.2.2): a TPML_DIGEST_VALUES sized by the Spec ID event. */
        private MeasuredEvent readAgileRecord() throws MalformedEventLog {
            long at = r.offset();
            long pcr = r.u32("pcrIndex");
            long type = r.u32("eventType");
            long countAt = r.offset();
            long count = r.u32("digests.count");
            if (count < 1 || count > algorithms.size()) {
                throw r.failAt(countAt, "digests.count", "1.." + algorithms.size() + " (banks of the Spec ID event)",
                        String.valueOf(count));
            }
            List<EventDigest> digests = new ArrayList<>(algorithms.size());
            boolean[] seen = new boolean[algorithms.size()];
            for (int i = 0; i < count; i++) {
                long algAt = r.offset();
                int alg = r.u16("digests", i, "hashAlg");
                int slot = slotOf(alg);
                if (slot < 0 || seen[slot]) {
                    throw r.failAt(algAt, "digests[" + i + "].hashAlg", "a bank of the Spec ID event, once",
                            String.format("0x%04x%s", alg, slot >= 0 ? " again" : ""));
                }
                seen[slot] = true;
                int size = algorithms.get(slot).digestSize();
                digests.add(new EventDigest(alg, bytes, r.take("digests", i, "digest", size), size));
            }
            int length = eventDataLength();
            int data = r.take("event", length);
            if (type != EventType.EV_NO_ACTION) {
                for (int i = 0; i < seen.length; i++) {
                    bankMissing[i] |= !seen[i];
                    bankCarried[i] |= seen[i];
                }
            }
            return new MeasuredEvent(events.size(), at, checkPcr(pcr, type, at), type,
                    java.util.Collections.unmodifiableList(digests), bytes, data, length);
        }

        private int slotOf(int alg) {
            for (int i = 0; i < algorithms.size(); i++) {
                if (algorithms.get(i).algorithmId() == alg) {
                    return i;
                }
            }
            return -1;
        }

        /** Windows logs informational EV_NO_ACTION events with PCR index -1; they extend nothing. */
        private int checkPcr(long pcr, long type, long at) throws MalformedEventLog {
            if (pcr == NO_PCR && type == EventType.EV_NO_ACTION) {
                return MeasuredEvent.NO_PCR;
            }
            if (pcr >= PCR_COUNT) {
                throw r.failAt(at, "pcrIndex", "0.." + (PCR_COUNT - 1) + " (0xffffffff for EV_NO_ACTION only)",
                        String.valueOf(pcr));
            }
            return (int) pcr;
        }

        /** The event's size, bounded by the limits; the caller takes the data (at most what is left of the log). */
        private int eventDataLength() throws MalformedEventLog {
            long at = r.offset();
            long length = r.u32("eventSize");
            if (length > limits.maxEventBytes()) {
                throw r.failAt(at, "eventSize", "at most " + limits.maxEventBytes() + " bytes", String.valueOf(length));
            }
            return (int) length;
        }
    }
}
