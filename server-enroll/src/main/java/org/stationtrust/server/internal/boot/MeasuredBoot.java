package org.stationtrust.server.internal.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.notify.FleetEvent;
import org.stationtrust.server.internal.notify.FleetEventType;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.store.BootStore.MachineBoot;
import org.stationtrust.server.internal.store.BootStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.FirmwareColumn;
import org.stationtrust.tpm.eventlog.BootState;
import org.stationtrust.tpm.eventlog.EventLogLimits;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuotedPcrs;

/**
 * Measured boot on the server (docs/measured-boot.md): which policy applies to a machine, the event log
 * a quote brings (whole, or only its SHA-256 when the server holds that log already), the verdict, and
 * what is recorded of it. A machine with no policy (none assigned, no default) keeps the exact-PCR check.
 */
public final class MeasuredBoot {
    /** Base64 of the largest log accepted, plus room for the rest of a quote submission. */
    public static final int MAX_QUOTE_BODY = (EventLogLimits.DEFAULT.maxLogBytes() / 3 + 1) * 4 + 64 * 1024;
    private static final int PARSED_POLICIES = 1024;
    private static final int REMEMBERED_MACHINES = 200_000;

    private final Database db;
    private final BootStore store;
    private final AuditLog audit;
    private final FleetEvents events;
    /** Parsed policies by document: a stored document never changes meaning, so parse it once. */
    private final ConcurrentHashMap<String, BootPolicy> parsed = new ConcurrentHashMap<>();
    /** The last passing verdict per machine, for {@link #unchanged}. */
    private final ConcurrentHashMap<String, Passed> passed = new ConcurrentHashMap<>();

    public MeasuredBoot(Database db, AuditLog audit, FleetEvents events) {
        this.db = db;
        this.store = new BootStore(db);
        this.audit = audit;
        this.events = events;
    }

    public BootStore store() {
        return store;
    }

    /**
     * A verdict with the log it was reached on (null when none was sent nor held); {@code repeated}: the same boot
     * as the accepted one, decided from memory ({@link #unchanged}).
     */
    public record Judgement(BootVerdict verdict, String logSha256, byte[] log, boolean logSent, boolean repeated,
            String otherPcrs) {
        public Judgement(BootVerdict verdict, String logSha256, byte[] log, boolean logSent) {
            this(verdict, logSha256, log, logSent, false, null);
        }
    }

    /**
     * The last passing verdict this instance reached for a machine, with everything it depended on: the SHA-256
     * values and those of the bank the log was replayed in (SHA-1 for a log without SHA-256 digests).
     */
    private record Passed(String logSha256, String pcrsJson, String replayedJson, String policyDocument,
            String message, Optional<HashAlgorithm> replayedBank, String stateSha256, String firmware) {
    }

    /** The policy for this machine: its own, else the default; empty when neither exists. */
    public Optional<BootPolicy> policyFor(Optional<MachineBoot> row) {
        return storedPolicyFor(row.map(MachineBoot::policyName)).map(p -> parse(p.document()));
    }

    private Optional<BootStore.StoredPolicy> storedPolicyFor(Optional<String> policyName) {
        return db.withConnection(c -> storedPolicyFor(c, policyName.orElse(null)));
    }

    /** The machine's own policy ({@code policyName}, null for none), else the default; read in {@code c}. */
    private Optional<BootStore.StoredPolicy> storedPolicyFor(Connection c, String policyName) throws SQLException {
        Optional<BootStore.StoredPolicy> stored = policyName == null ? Optional.empty() : store.policy(c, policyName);
        return stored.isPresent() ? stored : store.defaultPolicy(c);
    }

    /** The SHA-256 (hex) of the log of this machine's last accepted boot, which a station need not resend. */
    public Optional<String> heldDigest(String machineId) {
        return store.acceptedLogSha256(machineId);
    }

    /**
     * Judges a verified quote's PCRs with the machine's boot policy; empty when no policy applies.
     *
     * @param eventLog base64 of the log, or null
     * @param eventLogSha256 hex SHA-256 of the log when only the digest is sent, or null
     * @param quoted the verified quote's banks; SHA-256 among them ({@code QuoteCheck.requireSha256})
     * @param baseline the machine's exact PCR values (baseline or golden), for onNoEventLog: baseline
     */
    public Optional<Judgement> judge(String machineId, String eventLog, String eventLogSha256, QuotedPcrs quoted,
            SortedMap<Integer, byte[]> baseline) {
        SortedMap<Integer, byte[]> pcrs = quoted.sha256().map(PcrValues::asMap).orElseGet(java.util.TreeMap::new);
        Optional<MachineBoot> row = store.machine(machineId);
        Optional<BootStore.StoredPolicy> stored = storedPolicyFor(row.map(MachineBoot::policyName));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Optional<Judgement> judged = judge(row, parse(stored.get().document()), eventLog, eventLogSha256, quoted,
                baseline);
        // remembered small: a boot state lists every db and dbx entry (tens of KB on a real PC), so only its digest
        judged.filter(j -> j.verdict().result().passed() && j.logSha256() != null).ifPresent(j -> remember(machineId,
                new Passed(j.logSha256(), PcrMap.toJson(pcrs), replayedJson(j.verdict(), quoted),
                        stored.get().document(), j.verdict().message(), j.verdict().state().map(BootState::bank),
                        BootStore.stateDigest(j.verdict().state().map(MeasuredBoot::json).orElse(null)),
                        FirmwareColumn.label(j.verdict().state().map(BootState::firmwareVersions).orElse(List.of())))));
        return judged;
    }

    /** The bank the verdict's log was replayed in, with the quote's values of it; null when none was replayed. */
    private static String replayedJson(BootVerdict v, QuotedPcrs quoted) {
        return replayedJson(v.state().map(BootState::bank), quoted);
    }

    private static String replayedJson(Optional<HashAlgorithm> bank, QuotedPcrs quoted) {
        return bank.flatMap(quoted::bank).map(b -> b.bank().bankName() + ":" + PcrMap.toJson(b.asMap())).orElse(null);
    }

    /**
     * A boot judged from memory: the same accepted log, the same quoted PCRs and the same policy document give the
     * same verdict, so it is not reached again (a log is parsed and replayed, its certificates read, in about the time
     * of a quote check). It holds only while the database still says so ({@link #holds}): another instance's verdict
     * since, a new accepted log or a changed policy sends it down the full path. {@code stateSha256} and
     * {@code firmware} tell the state the repeated verdict found, recorded once when it was first reached. Its
     * verdict carries no boot state: nothing a repeat records or answers needs it.
     */
    public record Unchanged(Judgement judgement, String pcrsJson, String policyDocument, String stateSha256,
            String firmware) {
    }

    /**
     * The last verdict this instance passed for the machine, if this quote shows the same boot: the log it tells
     * ({@code eventLogSha256}, or {@code eventLog} sent whole, hashed only when there is a verdict to compare with),
     * the same SHA-256 values ({@code pcrsJson}, as {@link PcrMap#toJson}) and, for a log replayed in another bank,
     * the same values of that bank. Reads nothing.
     */
    public Optional<Unchanged> unchanged(String machineId, String eventLog, String eventLogSha256, String pcrsJson,
            QuotedPcrs quoted) {
        Passed last = passed.get(machineId);
        if (last == null || !last.pcrsJson().equals(pcrsJson)) return Optional.empty();
        String digest = toldDigest(eventLog, eventLogSha256).orElse(null);
        if (!last.logSha256().equals(digest)) return Optional.empty();
        // a log replayed in SHA-1 is the same boot only if the SHA-1 bank is quoted with the same values too
        if (last.replayedBank().isPresent() && !Objects.equals(last.replayedJson(), replayedJson(last.replayedBank(),
                quoted))) {
            return Optional.empty();
        }
        // the boot is now the accepted one, so nothing differs from it
        BootVerdict again = new BootVerdict(BootVerdict.Result.PASSED, Optional.empty(), Optional.empty(),
                last.message(), Optional.empty(), Optional.empty(), List.of());
        return Optional.of(new Unchanged(new Judgement(again, digest, null, false, true, otherPcrs(quoted)), pcrsJson,
                last.policyDocument(), last.stateSha256(), last.firmware()));
    }

    /**
     * The SHA-256 (lower-case hex) of the boot log a quote tells: the digest when only that is sent, else that of the
     * whole log sent (a station may send it with every quote, as Keylime's agent does). Empty when it tells none, when
     * the log does not decode or when a digest sent beside it differs: the full path then refuses with its reason.
     */
    private static Optional<String> toldDigest(String eventLog, String eventLogSha256) {
        if (eventLog == null) {
            return Optional.ofNullable(eventLogSha256).map(d -> d.toLowerCase(Locale.ROOT));
        }
        String digest;
        try {
            digest = sha256(decode(eventLog));
        } catch (ApiException e) {
            return Optional.empty();
        }
        return eventLogSha256 == null || digest.equals(eventLogSha256.toLowerCase(Locale.ROOT)) ? Optional.of(digest)
                : Optional.empty();
    }

    /**
     * Whether the stored boot still is the one {@code u} remembers, read in {@code c} (the attestation's transaction,
     * when it is to record): its accepted log, its last verdict a pass on the same SHA-256 values, and the document
     * of the policy that applies now (the machine's own, else the default) the same.
     */
    public boolean holds(Connection c, String machineId, Unchanged u) throws SQLException {
        BootStore.Glance now = store.glance(c, machineId).orElse(null);
        if (now == null || !u.judgement().logSha256().equals(now.acceptedLogSha256())
                || !u.pcrsJson().equals(now.lastPcrs())
                || u.stateSha256() == null || !u.stateSha256().equals(now.lastStateSha256())
                || !BootVerdict.Result.PASSED.wire().equals(now.lastResult())
                        && !BootVerdict.Result.PASSED_CHANGED.wire().equals(now.lastResult())) {
            return false;
        }
        return storedPolicyFor(c, now.policyName()).map(p -> p.document().equals(u.policyDocument())).orElse(false);
    }

    /**
     * Records an unchanged boot passing again (see {@link #unchanged}) in the attestation's transaction, once
     * {@link #holds} said yes in that transaction: only the last verdict's result, message and time change.
     */
    public void recordUnchanged(Connection c, String machineId, Unchanged u) throws SQLException {
        BootVerdict v = u.judgement().verdict();
        store.recordRepeated(c, machineId, v.result().wire(), clip(v.message()), u.judgement().otherPcrs());
    }

    private void remember(String machineId, Passed p) {
        if (passed.size() >= REMEMBERED_MACHINES) passed.clear();
        passed.put(machineId, p);
    }

    private Optional<Judgement> judge(Optional<MachineBoot> row, BootPolicy policy, String eventLog,
            String eventLogSha256, QuotedPcrs quoted, SortedMap<Integer, byte[]> baseline) {
        byte[] log = null;
        boolean sent = eventLog != null;
        if (sent) {
            log = decode(eventLog);
            if (eventLogSha256 != null && !sha256(log).equals(eventLogSha256.toLowerCase(Locale.ROOT))) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "eventLogSha256 is not the SHA-256 of eventLog");
            }
        } else if (eventLogSha256 != null) {
            log = heldLog(row, eventLogSha256);
        }
        Optional<BootSummary> last = row.map(MachineBoot::acceptedSummary).map(MeasuredBoot::summary);
        BootVerdict verdict = BootJudge.judge(policy, Optional.ofNullable(log), quoted, last, baseline);
        return Optional.of(new Judgement(verdict, log == null ? null : sha256(log), log, sent, false,
                otherPcrs(quoted)));
    }

    private static byte[] heldLog(Optional<MachineBoot> row, String digest) {
        MachineBoot m = row.orElse(null);
        if (m == null || m.acceptedLogSha256() == null || m.acceptedLog() == null
                || !MessageDigest.isEqual(m.acceptedLogSha256().getBytes(StandardCharsets.US_ASCII),
                digest.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCode.EVENT_LOG_REQUIRED, "The server holds no event log with SHA-256 " + clip(digest)
                    + (m == null || m.acceptedLogSha256() == null ? "" : " (it holds " + m.acceptedLogSha256() + ")")
                    + "; send the whole log in eventLog");
        }
        return Base64.getDecoder().decode(m.acceptedLog());
    }

    private static byte[] decode(String base64) {
        int max = EventLogLimits.DEFAULT.maxLogBytes();
        if (base64.length() > (max / 3 + 1) * 4) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "eventLog is longer than " + max + " bytes");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "eventLog is not standard padded base64");
        }
    }

    /**
     * The quote's banks other than SHA-256 as stored beside the SHA-256 values (migration V14): {"sha1": {"0":
     * "<hex>", ...}}, or null when it covers SHA-256 alone.
     */
    static String otherPcrs(QuotedPcrs quoted) {
        java.util.Map<String, java.util.Map<Integer, String>> banks = new java.util.TreeMap<>();
        for (PcrValues b : quoted.banks()) {
            if (b.bank() != HashAlgorithm.SHA256) {
                java.util.Map<Integer, String> values = new java.util.TreeMap<>();
                b.asMap().forEach((index, value) -> values.put(index, HexFormat.of().formatHex(value)));
                banks.put(b.bank().bankName(), values);
            }
        }
        return banks.isEmpty() ? null : json(banks);
    }

    /** The API error of a failed verdict: its result is the error code. */
    public static ApiException failure(BootVerdict v) {
        ErrorCode code = switch (v.result()) {
            case EVENT_LOG_INVALID -> ErrorCode.EVENT_LOG_INVALID;
            case NO_EVENT_LOG -> ErrorCode.NO_EVENT_LOG;
            default -> ErrorCode.PCR_POLICY_VIOLATION;
        };
        return new ApiException(code, "Boot refused" + v.rule().map(r -> " by rule " + r).orElse("")
                + v.event().map(e -> " at event #" + e).orElse("") + ": " + v.message());
    }

    /**
     * Records the verdict in the attestation's transaction: a passing boot becomes the accepted one (its log
     * kept); a log that did not replay is kept for the admin. Changes and failures are audited, and a change of
     * the machine's boot state ({@link BootStateChange}) queues a {@code machine.boot_state_changed} notification in
     * this same transaction, so it exists exactly when the verdict committed.
     */
    public void record(Connection c, String machineId, Judgement j, SortedMap<Integer, byte[]> pcrs)
            throws SQLException {
        BootVerdict v = j.verdict();
        Optional<String> change = BootStateChange.detail(store.lastResult(c, machineId), v);
        String log64 = j.log() == null ? null : Base64.getEncoder().encodeToString(j.log());
        // a repeated boot is the accepted one already: only its last verdict is written
        boolean accepted = v.result().passed() && v.summary().isPresent() && !j.repeated();
        store.record(c, machineId, new BootStore.Judged(v.result().wire(), v.rule().orElse(null), v.event().orElse(null),
                clip(v.message()), json(v.changes()), v.state().map(MeasuredBoot::json).orElse(null),
                v.state().map(BootState::firmwareVersions).orElse(List.of()), PcrMap.toJson(pcrs),
                j.logSha256(), accepted && j.logSent() ? log64 : null, accepted ? json(v.summary().get()) : null,
                v.result() == BootVerdict.Result.EVENT_LOG_INVALID ? log64 : null, j.otherPcrs()));
        if (v.result() == BootVerdict.Result.PASSED_CHANGED) {
            audit.append(c, "machine:" + machineId, "boot.changed", machineId, AuditOutcome.OK,
                    clip(String.join("; ", v.changes())));
        } else if (!v.result().passed()) {
            audit.append(c, "machine:" + machineId, "boot.refused", machineId, AuditOutcome.REFUSED, v.result().wire()
                    + ": " + v.rule().map(r -> "rule " + r + ": ").orElse("") + clip(v.message()));
        }
        if (change.isPresent()) {
            events.emit(c, FleetEvent.of(FleetEventType.BOOT_STATE_CHANGED, machineId, store.machineName(c, machineId),
                    change.get()));
        }
    }

    BootPolicy parse(String document) {
        BootPolicy p = parsed.get(document);
        if (p != null) {
            return p;
        }
        try {
            p = BootPolicy.parse(document.getBytes(StandardCharsets.UTF_8));
        } catch (BootPolicyInvalid e) {
            // stored documents were validated when saved: this is a damaged database, fail closed
            throw new IllegalStateException("stored boot policy does not load: " + e.getMessage(), e);
        }
        if (parsed.size() >= PARSED_POLICIES) {
            parsed.clear();
        }
        parsed.put(document, p);
        return p;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(HashAlgorithm.SHA256.digest(bytes));
    }

    static String json(Object value) {
        return EventLogCommand.json(value);
    }

    static BootSummary summary(String json) {
        try {
            return EventLogCommand.JSON.readValue(json, BootSummary.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored boot summary does not load: " + e.getOriginalMessage(), e);
        }
    }

    static List<String> changes(String json) {
        try {
            return List.of(EventLogCommand.JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored boot changes do not load: " + e.getOriginalMessage(), e);
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 1000 ? s.substring(0, 1000) + "..." : s;
    }
}
