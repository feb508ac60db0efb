package org.stationtrust.server.internal.pcr;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The PCR values a machine's quotes must match: an admin's golden values when set, else the baseline recorded from
 * the first quote at approval, else none (every quote is refused until an admin sets golden values). Parsed from the
 * two stored columns ({@code golden_pcrs}, {@code baseline_pcrs}, JSON with hex values) where a decision needs it.
 *
 * @param values SHA-256 PCR values by index, empty for {@link Source#NONE}
 */
public record PcrPolicy(Source source, SortedMap<Integer, byte[]> values) {

    /** Where the policy in force came from; {@link #label()} is the name the console and the admin API show. */
    public enum Source {
        GOLDEN("golden", "golden values"), BASELINE("baseline", "baseline"), NONE("none", "no policy");

        private final String label;
        private final String description;

        Source(String label, String description) {
            this.label = label;
            this.description = description;
        }

        public String label() {
            return label;
        }

        /** The source for a machine row's stored golden and baseline values, without parsing them. */
        public static Source of(String goldenJson, String baselineJson) {
            return goldenJson != null ? GOLDEN : baselineJson != null ? BASELINE : NONE;
        }

        /** How an attestation record names what the quote was checked against. */
        public String description() {
            return description;
        }
    }

    public PcrPolicy {
        if (source == null) throw new IllegalArgumentException("a PCR policy needs its source");
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        if ((source == Source.NONE) != values.isEmpty()) {
            throw new IllegalArgumentException("a " + source.label() + " PCR policy with " + values.size() + " values");
        }
    }

    /** The policy in force for a machine row's stored {@code golden_pcrs} and {@code baseline_pcrs} (either may be null). */
    public static PcrPolicy of(String goldenJson, String baselineJson) {
        Source source = Source.of(goldenJson, baselineJson);
        return new PcrPolicy(source, PcrMap.fromJson(source == Source.GOLDEN ? goldenJson : baselineJson));
    }
}
