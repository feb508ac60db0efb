package org.stationtrust.tpm.eventlog;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * The PCR values a log's events produce, per bank: each PCR starts at its reset value and every event
 * other than EV_NO_ACTION extends it (TPM 2.0 Part 1 §17.2: new = H(old || digest)).
 */
public final class ReplayedPcrs {
    public static final int PCR_COUNT = 24;

    private final EventLog log;
    /**
     * Each PCR of each bank is replayed on first use: a judge needs only the quoted bank (a log may carry three or
     * four) and the PCRs its policy checks (0-7 by default, while the OS logs most events in 8-14). Null until then.
     */
    private final Map<HashAlgorithm, byte[][]> values = new EnumMap<>(HashAlgorithm.class);
    private final Map<HashAlgorithm, SortedSet<Integer>> touched = new EnumMap<>(HashAlgorithm.class);

    private ReplayedPcrs(EventLog log) {
        this.log = log;
    }

    static ReplayedPcrs of(EventLog log) {
        return new ReplayedPcrs(log);
    }

    private synchronized byte[] pcr(HashAlgorithm bank, int pcr) {
        if (pcr < 0 || pcr >= PCR_COUNT) {
            throw new IllegalArgumentException("PCR index 0.." + (PCR_COUNT - 1) + ", got " + pcr);
        }
        byte[][] pcrs = values.get(bank);
        if (pcrs == null) {
            requireBank(bank);
            pcrs = new byte[PCR_COUNT][];
            values.put(bank, pcrs);
        }
        if (pcrs[pcr] == null) {
            pcrs[pcr] = replay(bank, pcr);
        }
        return pcrs[pcr];
    }

    private void requireBank(HashAlgorithm bank) {
        if (!log.banks().contains(bank)) {
            throw new IllegalArgumentException("the log has no " + bank + " bank; it has " + log.banks());
        }
    }

    /** Extends the PCR's reset value with the bank's digest of each of its events, in log order. */
    private byte[] replay(HashAlgorithm bank, int pcr) {
        byte[] value = initialValue(bank, pcr, log.startupLocality());
        MessageDigest md = bank.newDigest();
        for (MeasuredEvent e : log.events()) {
            if (e.pcr() != pcr || e.type() == EventType.EV_NO_ACTION) {
                continue; // PC Client PFP §10.4.1: EV_NO_ACTION is informational, never extended
            }
            for (EventDigest d : e.digests()) {
                if (d.algorithmId() == bank.id()) {
                    md.update(value);
                    d.updateInto(md);
                    value = md.digest();
                }
            }
        }
        return value;
    }

    /**
     * A PCR's value after TPM2_Startup: PCRs 17-22 (dynamic root of trust) hold all ones until a
     * DRTM event resets them; PCR 0 holds the startup locality in its last byte (PC Client PFP
     * §3.3.4.1, the H-CRTM and locality 3 start); all others zero.
     */
    public static byte[] initialValue(HashAlgorithm bank, int pcr, int startupLocality) {
        if (pcr < 0 || pcr >= PCR_COUNT) {
            throw new IllegalArgumentException("PCR index 0.." + (PCR_COUNT - 1) + ", got " + pcr);
        }
        byte[] v = new byte[bank.digestLength()];
        if (pcr >= 17 && pcr <= 22) {
            Arrays.fill(v, (byte) 0xff);
        } else if (pcr == 0) {
            v[v.length - 1] = (byte) startupLocality;
        }
        return v;
    }

    public Set<HashAlgorithm> banks() {
        return log.banks();
    }

    /** The PCRs at least one event of this bank extended. */
    public synchronized SortedSet<Integer> touched(HashAlgorithm bank) {
        SortedSet<Integer> pcrs = touched.get(bank);
        if (pcrs == null) {
            requireBank(bank);
            SortedSet<Integer> extended = new TreeSet<>();
            for (MeasuredEvent e : log.events()) {
                if (e.type() != EventType.EV_NO_ACTION && e.digests().stream().anyMatch(d -> d.algorithmId() == bank.id())) {
                    extended.add(e.pcr());
                }
            }
            pcrs = Collections.unmodifiableSortedSet(extended);
            touched.put(bank, pcrs);
        }
        return pcrs;
    }

    public byte[] value(HashAlgorithm bank, int pcr) {
        return pcr(bank, pcr).clone();
    }

    /** Whether the replayed value equals {@code expected} (constant time). */
    public boolean matches(HashAlgorithm bank, int pcr, byte[] expected) {
        return MessageDigest.isEqual(pcr(bank, pcr), expected);
    }

    public byte[] initialValue(HashAlgorithm bank, int pcr) {
        return initialValue(bank, pcr, log.startupLocality());
    }

    /** The value of every PCR that events touched, ascending. */
    public SortedMap<Integer, byte[]> touchedValues(HashAlgorithm bank) {
        SortedMap<Integer, byte[]> out = new TreeMap<>();
        for (int pcr : touched(bank)) {
            out.put(pcr, value(bank, pcr));
        }
        return out;
    }
}
