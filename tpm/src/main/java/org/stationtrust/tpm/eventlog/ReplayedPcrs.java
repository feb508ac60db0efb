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
    /** Each bank is replayed on first use: a judge needs only the quoted one (a log may carry three or four). */
    private final Map<HashAlgorithm, byte[][]> values = new EnumMap<>(HashAlgorithm.class);
    private final Map<HashAlgorithm, SortedSet<Integer>> touched = new EnumMap<>(HashAlgorithm.class);

    private ReplayedPcrs(EventLog log) {
        this.log = log;
    }

    static ReplayedPcrs of(EventLog log) {
        return new ReplayedPcrs(log);
    }

    private synchronized byte[][] bank(HashAlgorithm bank) {
        byte[][] pcrs = values.get(bank);
        if (pcrs != null) {
            return pcrs;
        }
        if (!log.banks().contains(bank)) {
            throw new IllegalArgumentException("the log has no " + bank + " bank; it has " + log.banks());
        }
        pcrs = new byte[PCR_COUNT][];
        for (int i = 0; i < PCR_COUNT; i++) {
            pcrs[i] = initialValue(bank, i, log.startupLocality());
        }
        boolean[] extended = new boolean[PCR_COUNT];
        MessageDigest md = bank.newDigest();
        for (MeasuredEvent e : log.events()) {
            if (e.type() == EventType.EV_NO_ACTION) {
                continue; // PC Client PFP §10.4.1: informational, never extended
            }
            for (EventDigest d : e.digests()) {
                if (d.algorithmId() == bank.id()) {
                    md.update(pcrs[e.pcr()]);
                    d.updateInto(md);
                    pcrs[e.pcr()] = md.digest();
                    extended[e.pcr()] = true;
                }
            }
        }
        values.put(bank, pcrs);
        SortedSet<Integer> extendedPcrs = new TreeSet<>();
        for (int i = 0; i < PCR_COUNT; i++) {
            if (extended[i]) {
                extendedPcrs.add(i);
            }
        }
        touched.put(bank, Collections.unmodifiableSortedSet(extendedPcrs));
        return pcrs;
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
        bank(bank);
        return touched.get(bank);
    }

    public byte[] value(HashAlgorithm bank, int pcr) {
        return bank(bank)[pcr].clone();
    }

    /** Whether the replayed value equals {@code expected} (constant time). */
    public boolean matches(HashAlgorithm bank, int pcr, byte[] expected) {
        return MessageDigest.isEqual(bank(bank)[pcr], expected);
    }

    public byte[] initialValue(HashAlgorithm bank, int pcr) {
        return initialValue(bank, pcr, log.startupLocality());
    }

    /** The value of every PCR that events touched, ascending. */
    public SortedMap<Integer, byte[]> touchedValues(HashAlgorithm bank) {
        byte[][] pcrs = bank(bank);
        SortedMap<Integer, byte[]> out = new TreeMap<>();
        for (int pcr : touched(bank)) {
            out.put(pcr, pcrs[pcr].clone());
        }
        return out;
    }
}
