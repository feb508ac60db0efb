package org.stationtrust.server.internal.boot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stationtrust.server.internal.store.BootStore;

/** The JSON shapes of measured boot in the API (docs/server-api.md, "Measured boot"). */
public final class BootViews {
    private BootViews() {
    }

    /** Added to a passing quote's answer: the boot verdict and the digest of the log the server now holds. */
    /** The boot part of a quote's answer (station-protocol's QuoteResult.Boot). */
    public static org.stationtrust.protocol.QuoteResult.Boot quoteBoot(MeasuredBoot.Judgement j) {
        return new org.stationtrust.protocol.QuoteResult.Boot(j.verdict().result().wire(), j.verdict().message(),
                j.verdict().changes());
    }

    public static Map<String, Object> policy(BootStore.StoredPolicy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("default", p.isDefault());
        out.put("updatedBy", p.updatedBy());
        out.put("updatedAt", Instant.ofEpochMilli(p.updatedAt()).toString());
        out.put("policy", tree(p.document()));
        return out;
    }

    /** A machine's boot: assigned and effective policy, last verdict with its changes and state, accepted boot. */
    public static Map<String, Object> machine(String machineId, Optional<BootStore.MachineBoot> row,
            Optional<BootPolicy> effective, boolean withFlaggedLog) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machineId", machineId);
        out.put("policy", row.map(BootStore.MachineBoot::policyName).orElse(null));
        out.put("effectivePolicy", effective.map(BootPolicy::name).orElse(null));
        BootStore.MachineBoot m = row.orElse(null);
        if (m == null || m.lastResult() == null) {
            out.put("last", null);
        } else {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("result", m.lastResult());
            last.put("rule", m.lastRule());
            last.put("event", m.lastEvent());
            last.put("message", m.lastMessage());
            last.put("changes", m.lastChanges() == null ? List.of() : MeasuredBoot.changes(m.lastChanges()));
            last.put("at", time(m.lastAt()));
            last.put("bootState", m.lastState() == null ? null : tree(m.lastState()));
            last.put("pcrs", quotedPcrs(m));
            out.put("last", last);
        }
        out.put("acceptedAt", m == null ? null : time(m.acceptedAt()));
        out.put("acceptedEventLogSha256", m == null ? null : m.acceptedLogSha256());
        out.put("flaggedAt", m == null ? null : time(m.flaggedAt()));
        if (withFlaggedLog && m != null && m.flaggedLog() != null) {
            out.put("flaggedEventLog", m.flaggedLog());
        }
        return out;
    }

    /**
     * The last judged quote's values by bank: {"sha256": {"0": "<hex>", ...}} and, when the quote covered it, the bank
     * the log was replayed in beside it ("sha1"); the boot state's {@code bank} says which one that was.
     */
    static Map<String, Object> quotedPcrs(BootStore.MachineBoot m) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m.lastPcrs() != null) {
            out.put("sha256", tree(m.lastPcrs()));
        }
        if (m.lastOtherPcrs() != null) {
            tree(m.lastOtherPcrs()).fields().forEachRemaining(bank -> out.put(bank.getKey(), bank.getValue()));
        }
        return out;
    }

    /** Stored JSON (written by this server) back as a tree, so the answer nests it instead of quoting it. */
    static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return EventLogCommand.JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not load: " + e.getOriginalMessage(), e);
        }
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
