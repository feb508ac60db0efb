package org.stationtrust.server.internal.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A named measured-boot policy (docs/measured-boot.md). Omitted rules take the strict default; an
 * unknown rule, a wrong type or a bad value refuses the whole policy at load, so a typo can never
 * weaken it.
 *
 * @param allowedBootAuthorities if not empty, every authority that verified a boot application must match one
 * @param forbiddenAuthorities no authority may match any
 * @param requiredDbx entries that must be in dbx (revoked): hashes, certificate fingerprints or subjects
 * @param replayPcrs the PCRs the log must replay to (default 0-7: firmware and boot loader; 8-15 are
 *        extended at run time by the OS)
 * @param pins exact PCR values for those who want them: the boot must match one pin whose firmware
 *        version (if it names one) equals the log's
 */
public record BootPolicy(String name, boolean requireSecureBoot, List<AuthorityMatcher> allowedBootAuthorities,
        List<AuthorityMatcher> forbiddenAuthorities, List<AuthorityMatcher> requiredDbx, boolean forbidDebug,
        SortedSet<Integer> replayPcrs, boolean allowMissingExitBootServices, List<PcrPin> pins,
        OnNoEventLog onNoEventLog) {
    public static final int MAX_BYTES = 256 * 1024;
    private static final int MAX_ENTRIES = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> RULES = Set.of("name", "requireSecureBoot", "allowedBootAuthorities",
            "forbiddenAuthorities", "requiredDbx", "forbidDebug", "replayPcrs", "allowMissingExitBootServices",
            "pins", "onNoEventLog");

    /** What to do when a station sends no event log. */
    public enum OnNoEventLog {
        /** the boot fails with no_event_log */
        FAIL,
        /** judge the quote by the machine's exact PCR baseline or golden values, as before measured boot */
        BASELINE
    }

    public BootPolicy {
        Objects.requireNonNull(name, "name");
        allowedBootAuthorities = List.copyOf(allowedBootAuthorities);
        forbiddenAuthorities = List.copyOf(forbiddenAuthorities);
        requiredDbx = List.copyOf(requiredDbx);
        replayPcrs = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(replayPcrs));
        pins = List.copyOf(pins);
        Objects.requireNonNull(onNoEventLog, "onNoEventLog");
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Reads a policy document; every problem is named with its rule. */
    public static BootPolicy parse(byte[] json) throws BootPolicyInvalid {
        if (json == null || json.length == 0 || json.length > MAX_BYTES) {
            throw new BootPolicyInvalid("a boot policy is a JSON object of 1.." + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = org.stationtrust.protocol.WireJson.strict().readTree(json);
        } catch (JsonProcessingException e) {
            throw new BootPolicyInvalid("the boot policy is not well-formed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BootPolicyInvalid("the boot policy could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new BootPolicyInvalid("a boot policy is a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!RULES.contains(field)) {
                throw new BootPolicyInvalid("unknown rule '" + field + "'; the rules are " + new TreeSet<>(RULES)
                        + " (an unknown rule is refused, never ignored)");
            }
        }
        String name = text(root, "name");
        if (!isValidName(name)) {
            throw new BootPolicyInvalid("name: expected 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit, got '"
                    + name + "'");
        }
        return new BootPolicy(name, bool(root, "requireSecureBoot", true),
                matchers(root, "allowedBootAuthorities"), matchers(root, "forbiddenAuthorities"),
                matchers(root, "requiredDbx"), bool(root, "forbidDebug", true), pcrs(root),
                bool(root, "allowMissingExitBootServices", false), PcrPin.list(root.get("pins")), onNoEventLog(root));
    }

    private static String text(JsonNode root, String rule) throws BootPolicyInvalid {
        JsonNode n = root.get(rule);
        if (n == null || !n.isTextual()) {
            throw new BootPolicyInvalid(rule + ": expected a string");
        }
        return n.textValue();
    }

    private static boolean bool(JsonNode root, String rule, boolean strictDefault) throws BootPolicyInvalid {
        JsonNode n = root.get(rule);
        if (n == null) {
            return strictDefault;
        }
        if (!n.isBoolean()) {
            throw new BootPolicyInvalid(rule + ": expected true or false, got " + n);
        }
        return n.booleanValue();
    }

    private static List<AuthorityMatcher> matchers(JsonNode root, String rule) throws BootPolicyInvalid {
        JsonNode n = root.get(rule);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray() || n.size() > MAX_ENTRIES) {
            throw new BootPolicyInvalid(rule + ": expected an array of at most " + MAX_ENTRIES + " strings");
        }
        List<AuthorityMatcher> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new BootPolicyInvalid(rule + ": expected strings, got " + e);
            }
            out.add(AuthorityMatcher.parse(rule, e.textValue()));
        }
        return out;
    }

    private static SortedSet<Integer> pcrs(JsonNode root) throws BootPolicyInvalid {
        JsonNode n = root.get("replayPcrs");
        if (n == null) {
            return new TreeSet<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));
        }
        if (!n.isArray() || n.isEmpty()) {
            throw new BootPolicyInvalid("replayPcrs: expected a non-empty array of PCR indices 0..23");
        }
        SortedSet<Integer> out = new TreeSet<>();
        for (JsonNode e : n) {
            if (!e.isInt() || e.intValue() < 0 || e.intValue() > 23 || !out.add(e.intValue())) {
                throw new BootPolicyInvalid("replayPcrs: expected distinct PCR indices 0..23, got " + e);
            }
        }
        return out;
    }

    private static OnNoEventLog onNoEventLog(JsonNode root) throws BootPolicyInvalid {
        JsonNode n = root.get("onNoEventLog");
        if (n == null) {
            return OnNoEventLog.FAIL;
        }
        Map<String, OnNoEventLog> values = Map.of("fail", OnNoEventLog.FAIL, "baseline", OnNoEventLog.BASELINE);
        OnNoEventLog v = n.isTextual() ? values.get(n.textValue()) : null;
        if (v == null) {
            throw new BootPolicyInvalid("onNoEventLog: expected \"fail\" or \"baseline\", got " + n);
        }
        return v;
    }
}
