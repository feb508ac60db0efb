package org.stationtrust.server.internal.boot;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.stationtrust.server.internal.boot.BootVerdict.Result;
import org.stationtrust.tpm.eventlog.BootAuthority;
import org.stationtrust.tpm.eventlog.BootState;
import org.stationtrust.tpm.eventlog.EventLog;
import org.stationtrust.tpm.eventlog.EventLogMismatch;
import org.stationtrust.tpm.eventlog.EventLogReplay;
import org.stationtrust.tpm.eventlog.MalformedEventLog;
import org.stationtrust.tpm.eventlog.SecureBoot;
import org.stationtrust.tpm.eventlog.Separator;
import org.stationtrust.tpm.eventlog.SignatureEntry;
import org.stationtrust.tpm.eventlog.VerifiedEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuotedPcrs;

/**
 * Judges a boot by its event log against a policy, in this order: the log parses, it replays to the
 * quoted PCRs (only then is anything in it believed), then each rule over the boot state
 * (docs/measured-boot.md), then the difference from the last accepted boot. The first failure decides.
 */
public final class BootJudge {
    private BootJudge() {
    }

    /**
     * Judges a verified quote's banks: the log is replayed in the strongest bank it carries (SHA-256, else SHA-1,
     * PC Client PFP §10.2.1: SHA-1-only firmware), which the quote must cover; pins and the no-log baseline use the
     * quote's SHA-256 values.
     *
     * @param log the event log the station sent, empty when it sent none
     * @param quoted the banks of a verified quote
     * @param lastAccepted the summary of the machine's last accepted boot, if any
     * @param baseline exact SHA-256 PCR values (approval baseline or golden values) for {@code onNoEventLog: baseline}
     */
    public static BootVerdict judge(BootPolicy policy, Optional<byte[]> log, QuotedPcrs quoted,
            Optional<BootSummary> lastAccepted, SortedMap<Integer, byte[]> baseline) {
        Objects.requireNonNull(policy, "policy");
        SortedMap<Integer, byte[]> sha256 = quoted.sha256().map(PcrValues::asMap).orElseGet(TreeMap::new);
        if (log.isEmpty()) {
            return noLog(policy, sha256, baseline);
        }
        EventLog parsed;
        try {
            parsed = EventLog.parse(log.get());
        } catch (MalformedEventLog e) {
            return BootVerdict.failed(Result.EVENT_LOG_INVALID, "parse", Optional.empty(), e.getMessage(),
                    Optional.empty());
        }
        HashAlgorithm bank = replayBank(parsed);
        Optional<PcrValues> replayed = quoted.bank(bank);
        if (replayed.isEmpty()) {
            return BootVerdict.failed(Result.EVENT_LOG_INVALID, "replay", Optional.empty(), "the log's strongest bank"
                    + " is " + bank.bankName() + " (it carries " + names(parsed.banks()) + ") but the quote covers "
                    + names(quoted.algorithms()) + "; the log can be checked only against a quote of "
                    + bank.bankName() + ": update the station agent, which quotes it beside sha256", Optional.empty());
        }
        return judgeParsed(policy, parsed, bank, replayed.get().asMap(), sha256, lastAccepted);
    }

    /**
     * Judges a log replayed in {@code bank} against {@code quoted}, which also serves the pins and the no-log
     * baseline: for a command that takes the PCRs from the log itself, and for tests of one bank.
     *
     * @param log the event log the station sent, empty when it sent none
     * @param quoted PCR values of {@code bank} from a verified quote
     * @param lastAccepted the summary of the machine's last accepted boot, if any
     * @param baseline exact PCR values (approval baseline or golden values) for {@code onNoEventLog: baseline}
     */
    public static BootVerdict judge(BootPolicy policy, Optional<byte[]> log, HashAlgorithm bank,
            SortedMap<Integer, byte[]> quoted, Optional<BootSummary> lastAccepted,
            SortedMap<Integer, byte[]> baseline) {
        Objects.requireNonNull(policy, "policy");
        if (log.isEmpty()) {
            return noLog(policy, quoted, baseline);
        }
        EventLog parsed;
        try {
            parsed = EventLog.parse(log.get());
        } catch (MalformedEventLog e) {
            return BootVerdict.failed(Result.EVENT_LOG_INVALID, "parse", Optional.empty(), e.getMessage(),
                    Optional.empty());
        }
        if (bank != HashAlgorithm.SHA256 && !policy.pins().isEmpty()) {
            // pins are SHA-256 values: compared with another bank's values they could never hold, for a reason that
            // is not the boot's (the server compares them with the quote's SHA-256 bank)
            return BootVerdict.failed(Result.PCR_POLICY_VIOLATION, "pins", Optional.empty(), pinsNeedSha256(policy,
                    bank), Optional.empty());
        }
        return judgeParsed(policy, parsed, bank, quoted, quoted, lastAccepted);
    }

    /** Why pins cannot be judged from the values of {@code bank} alone. */
    static String pinsNeedSha256(BootPolicy policy, HashAlgorithm bank) {
        return "policy " + policy.name() + " pins SHA-256 PCR values, but only " + bank.bankName() + " values are"
                + " given to compare them with; the server compares pins with the SHA-256 bank of the station's quote";
    }

    /**
     * The bank a log is judged in: SHA-256 when any of its events carries a SHA-256 digest, else SHA-1 when it
     * carries those; SHA-1 is never chosen over a SHA-256 the log holds, even in part (an event added without one
     * must not move the judgement to the weaker bank: the SHA-256 replay then fails). A log with neither stays on
     * SHA-256 and fails its replay.
     */
    static HashAlgorithm replayBank(EventLog log) {
        boolean sha256 = log.banks().contains(HashAlgorithm.SHA256) || log.partialBanks().contains(HashAlgorithm.SHA256);
        return !sha256 && log.banks().contains(HashAlgorithm.SHA1) ? HashAlgorithm.SHA1 : HashAlgorithm.SHA256;
    }

    private static BootVerdict judgeParsed(BootPolicy policy, EventLog log, HashAlgorithm bank,
            SortedMap<Integer, byte[]> replayQuoted, SortedMap<Integer, byte[]> sha256Quoted,
            Optional<BootSummary> lastAccepted) {
        if (bank == HashAlgorithm.SHA1 && lastAccepted.map(BootSummary::bank).filter(HashAlgorithm.SHA256.name()::equals)
                .isPresent()) {
            // firmware does not stop measuring SHA-256: a log without it now was rewritten to be judged in SHA-1
            return BootVerdict.failed(Result.EVENT_LOG_INVALID, "replay", Optional.empty(), "the log carries no SHA-256"
                    + " digests, but the machine's last accepted boot was judged from SHA-256 ones; a log is never"
                    + " judged in a weaker bank than the last accepted boot's", Optional.empty());
        }
        VerifiedEventLog verified;
        try {
            verified = EventLogReplay.verify(log, bank, replayQuoted, policy.replayPcrs(),
                    policy.allowMissingExitBootServices());
        } catch (EventLogMismatch e) {
            return BootVerdict.failed(Result.EVENT_LOG_INVALID, "replay", Optional.empty(), e.getMessage(),
                    Optional.empty());
        }
        BootState state = BootState.of(verified);
        Optional<Separator> error = state.separators().stream().filter(Separator::error).findFirst();
        if (error.isPresent()) {
            return BootVerdict.failed(Result.EVENT_LOG_INVALID, "separator", Optional.of(error.get().event()),
                    "the firmware ended PCR " + error.get().pcr() + "'s measurements with an error separator (event "
                    + error.get().event() + "): it reports that a measurement failed, so the PCR's events do not"
                    + " show the whole boot", Optional.of(state));
        }
        Optional<BootVerdict> violation = firstViolation(policy, state, sha256Quoted);
        if (violation.isPresent()) {
            return violation.get();
        }
        BootSummary summary = BootSummary.of(state);
        List<String> changes = lastAccepted.map(summary::changesSince).orElse(List.of());
        Result result = changes.isEmpty() ? Result.PASSED : Result.PASSED_CHANGED;
        String message = changes.isEmpty() ? "the boot satisfies policy " + policy.name()
                : "the boot changed since the last accepted one and still satisfies policy " + policy.name();
        return new BootVerdict(result, Optional.empty(), Optional.empty(), message, Optional.of(state),
                Optional.of(summary), changes);
    }

    private static String names(java.util.Collection<HashAlgorithm> banks) {
        return banks.stream().map(HashAlgorithm::bankName).sorted().toList().toString();
    }

    private static BootVerdict noLog(BootPolicy policy, SortedMap<Integer, byte[]> quoted,
            SortedMap<Integer, byte[]> baseline) {
        if (policy.onNoEventLog() == BootPolicy.OnNoEventLog.FAIL) {
            return BootVerdict.failed(Result.NO_EVENT_LOG, "onNoEventLog", Optional.empty(), "the station sent no"
                    + " boot event log and policy " + policy.name() + " requires one (onNoEventLog: fail)",
                    Optional.empty());
        }
        if (baseline.isEmpty()) {
            return BootVerdict.failed(Result.NO_EVENT_LOG, "onNoEventLog", Optional.empty(), "no event log, and the"
                    + " machine has no PCR baseline or golden values to fall back on", Optional.empty());
        }
        for (Map.Entry<Integer, byte[]> e : baseline.entrySet()) {
            byte[] q = quoted.get(e.getKey());
            if (q == null || !MessageDigest.isEqual(q, e.getValue())) {
                return BootVerdict.failed(Result.PCR_POLICY_VIOLATION, "onNoEventLog", Optional.empty(),
                        "no event log; PCR " + e.getKey() + " is " + (q == null ? "not quoted" : HexFormat.of()
                        .formatHex(q)) + " but the baseline holds " + HexFormat.of().formatHex(e.getValue()),
                        Optional.empty());
            }
        }
        return new BootVerdict(Result.PASSED, Optional.empty(), Optional.empty(), "no event log; the quoted PCRs"
                + " equal the machine's baseline (onNoEventLog: baseline)", Optional.empty(), Optional.empty(), List.of());
    }

    private static Optional<BootVerdict> firstViolation(BootPolicy p, BootState s, SortedMap<Integer, byte[]> quoted) {
        if (p.requireSecureBoot() && s.secureBoot() != SecureBoot.ON) {
            return violation("requireSecureBoot", Optional.empty(), "Secure Boot is " + s.secureBoot()
                    + " in the verified log; policy " + p.name() + " requires it on", s);
        }
        if (p.forbidDebug() && !s.debugFlags().isEmpty()) {
            return violation("forbidDebug", Optional.empty(), "the boot has " + s.debugFlags() + " switched on", s);
        }
        if (!p.allowedBootAuthorities().isEmpty() && s.authorities().isEmpty()) {
            return violation("allowedBootAuthorities", Optional.empty(), "the verified log names no authority that"
                    + " verified a boot application, so none can be checked against the allowed ones", s);
        }
        for (BootAuthority a : s.authorities()) {
            Optional<AuthorityMatcher> forbidden = p.forbiddenAuthorities().stream()
                    .filter(m -> m.matches(a.entry())).findFirst();
            if (forbidden.isPresent()) {
                return violation("forbiddenAuthorities", Optional.of(a.entry().event()), "a boot application was"
                        + " verified by " + a.entry().describe() + ", forbidden by '" + forbidden.get() + "'", s);
            }
            if (!p.allowedBootAuthorities().isEmpty()
                    && p.allowedBootAuthorities().stream().noneMatch(m -> m.matches(a.entry()))) {
                return violation("allowedBootAuthorities", Optional.of(a.entry().event()), "a boot application was"
                        + " verified by " + a.entry().describe() + ", which is not among the allowed authorities", s);
            }
        }
        for (AuthorityMatcher required : p.requiredDbx()) {
            if (!required.matchesAny(s.dbx())) {
                Optional<Integer> dbxEvent = s.dbx().stream().map(SignatureEntry::event).findFirst();
                return violation("requiredDbx", dbxEvent, "dbx does not revoke '" + required + "' ("
                        + s.dbx().size() + " entries measured); apply the dbx update", s);
            }
        }
        if (!p.pins().isEmpty() && p.pins().stream().noneMatch(pin -> pin.matches(s.firmwareVersions(), quoted))) {
            return violation("pins", Optional.empty(), "the quoted PCRs match none of the " + p.pins().size()
                    + " pinned value sets for firmware " + s.firmwareVersions(), s);
        }
        return Optional.empty();
    }

    private static Optional<BootVerdict> violation(String rule, Optional<Integer> event, String message, BootState s) {
        return Optional.of(BootVerdict.failed(Result.PCR_POLICY_VIOLATION, rule, event, message, Optional.of(s)));
    }
}
