package org.stationtrust.tpm.eventlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * Checks a log against PCR values that a verified quote vouches for. Call it only with values whose
 * quote signature, nonce and PCR digest were already verified ({@code QuoteVerifier}).
 */
public final class EventLogReplay {
    /** PC Client PFP §10.4.4: the EV_EFI_ACTION strings measured into PCR 5 around ExitBootServices(). */
    static final String EBS_INVOCATION = "Exit Boot Services Invocation";
    static final String EBS_SUCCESS = "Exit Boot Services Returned with Success";
    private static final byte[] EBS_INVOCATION_BYTES = EBS_INVOCATION.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EBS_SUCCESS_BYTES = EBS_SUCCESS.getBytes(StandardCharsets.US_ASCII);
    private static final int EBS_PCR = 5;

    private EventLogReplay() {
    }

    /**
     * Every PCR of {@code pcrs} must be quoted; one the log extends must replay to the quoted value, one
     * it does not extend must still hold its reset value (an extend behind the log's back shows there).
     *
     * @param quoted the quoted values of {@code bank}, by PCR index
     * @param allowMissingExitBootServices tolerate firmware that extends PCR 5 with the two Exit Boot
     *        Services actions without logging them (the result records it when it was needed)
     */
    public static VerifiedEventLog verify(EventLog log, HashAlgorithm bank, Map<Integer, byte[]> quoted,
            SortedSet<Integer> pcrs, boolean allowMissingExitBootServices) throws EventLogMismatch {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(quoted, "quoted");
        if (log.partialBanks().contains(bank)) {
            throw new EventLogMismatch(-1, "the log's events carry " + bank + " digests, but not all of them: firmware"
                    + " fills a bank in every event, so an event was added or altered; the log cannot be replayed");
        }
        if (!log.banks().contains(bank)) {
            throw new EventLogMismatch(-1, "the quote covers the " + bank + " bank but the log has digests for "
                    + log.banks() + " only; quote a bank the log carries (SHA-1 for a SHA-1 format log)");
        }
        ReplayedPcrs replayed = log.replay();
        boolean tolerated = false;
        for (int pcr : pcrs) {
            byte[] value = quoted.get(pcr);
            if (value == null) {
                throw new EventLogMismatch(pcr, "PCR " + pcr + " must be checked against the log but the quote does"
                        + " not cover it (quoted: " + new TreeSet<>(quoted.keySet()) + "); quote PCRs " + pcrs);
            }
            if (replayed.matches(bank, pcr, value)) {
                continue;
            }
            if (pcr == EBS_PCR && allowMissingExitBootServices && matchesWithUnloggedExitBootServices(log, bank,
                    replayed, value)) {
                tolerated = true;
                continue;
            }
            throw mismatch(log, bank, replayed, pcr, value);
        }
        return new VerifiedEventLog(log, bank, pcrs, tolerated);
    }

    private static EventLogMismatch mismatch(EventLog log, HashAlgorithm bank, ReplayedPcrs replayed, int pcr,
            byte[] quoted) {
        HexFormat hex = HexFormat.of();
        String what = replayed.touched(bank).contains(pcr)
                ? "the log's events replay to " + hex.formatHex(replayed.value(bank, pcr))
                : "the log has no event for it, so it should hold its reset value "
                        + hex.formatHex(replayed.initialValue(bank, pcr));
        return new EventLogMismatch(pcr, bank + " PCR " + pcr + " is quoted as " + hex.formatHex(quoted) + " but "
                + what + "; an event was changed, dropped, reordered or added, or the PCR was extended outside"
                + " the log: the log cannot be trusted (" + log.events().size() + " events)");
    }

    /** go-attestation documents firmware (some HP models) that measures but does not log these two. */
    private static boolean matchesWithUnloggedExitBootServices(EventLog log, HashAlgorithm bank,
            ReplayedPcrs replayed, byte[] quoted) {
        for (MeasuredEvent e : log.events()) {
            if (e.pcr() == EBS_PCR && e.type() == EventType.EV_EFI_ACTION && isExitBootServices(e)) {
                return false; // the log has them: this is not the defect
            }
        }
        byte[] value = replayed.value(bank, EBS_PCR);
        for (String action : new String[] {EBS_INVOCATION, EBS_SUCCESS}) {
            MessageDigest md = bank.newDigest();
            md.update(value);
            md.update(bank.digest(action.getBytes(StandardCharsets.US_ASCII)));
            value = md.digest();
        }
        return MessageDigest.isEqual(value, quoted);
    }

    /** The data is exactly one of the two actions' ASCII text (no NUL: PC Client PFP §10.4.4 action strings). */
    static boolean isExitBootServices(MeasuredEvent e) {
        return e.dataEquals(EBS_INVOCATION_BYTES) || e.dataEquals(EBS_SUCCESS_BYTES);
    }
}
