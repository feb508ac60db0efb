package org.stationtrust.server.internal.boot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
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

    /** A boot policy as stored: its document nested as JSON. */
    public record PolicyView(String name, @JsonProperty("default") boolean isDefault, String updatedBy,
                             String updatedAt, JsonNode policy) {
    }

    /** GET /api/v1/admin/boot-policies. */
    public record Policies(List<PolicyView> bootPolicies) {
    }

    /**
     * A machine's boot: assigned and effective policy, last verdict, accepted boot; the log of a boot that did not
     * replay ({@code flaggedEventLog}) only for admins and only when there is one (absent otherwise, not null).
     */
    public record MachineView(String machineId, String policy, String effectivePolicy, LastBoot last, String acceptedAt,
                              String acceptedEventLogSha256, String flaggedAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String flaggedEventLog) {
    }

    /**
     * The last verdict: the rule and event that decided it, its changes and the boot state it found; {@code pcrs} the
     * judged quote's values by bank ({"sha256": {"0": "<hex>", ...}}, and "sha1" when the quote covered it; the boot
     * state's {@code bank} says which one the log replayed in).
     */
    public record LastBoot(String result, String rule, Long event, String message, List<String> changes, String at,
                           JsonNode bootState, Map<String, JsonNode> pcrs) {
    }

    public static PolicyView policy(BootStore.StoredPolicy p) {
        return new PolicyView(p.name(), p.isDefault(), p.updatedBy(), Instant.ofEpochMilli(p.updatedAt()).toString(),
                tree(p.document()));
    }

    /** A machine's boot: assigned and effective policy, last verdict with its changes and state, accepted boot. */
    public static MachineView machine(String machineId, Optional<BootStore.MachineBoot> row,
            Optional<BootPolicy> effective, boolean withFlaggedLog) {
        BootStore.MachineBoot m = row.orElse(null);
        LastBoot last = m == null || m.lastResult() == null ? null : new LastBoot(m.lastResult(), m.lastRule(),
                m.lastEvent(), m.lastMessage(), m.lastChanges() == null ? List.of() : MeasuredBoot.changes(m.lastChanges()),
                time(m.lastAt()), m.lastState() == null ? null : tree(m.lastState()), quotedPcrs(m));
        return new MachineView(machineId, row.map(BootStore.MachineBoot::policyName).orElse(null),
                effective.map(BootPolicy::name).orElse(null), last, m == null ? null : time(m.acceptedAt()),
                m == null ? null : m.acceptedLogSha256(), m == null ? null : time(m.flaggedAt()),
                withFlaggedLog && m != null ? m.flaggedLog() : null);
    }

    /** The SHA-256 values of the last judged quote, then those of its other banks (migration V14), by bank name. */
    static Map<String, JsonNode> quotedPcrs(BootStore.MachineBoot m) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (m.lastPcrs() != null) {
            out.put("sha256", tree(m.lastPcrs()));
        }
        if (m.lastOtherPcrs() != null) {
            tree(m.lastOtherPcrs()).fields().forEachRemaining(bank -> out.put(bank.getKey(), bank.getValue()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Stored JSON (written by this server) back as a tree, so the answer nests it instead of quoting it. */
    static JsonNode tree(String json) {
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
