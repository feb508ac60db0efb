package org.stationtrust.server.internal.web;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.pcr.PcrPolicy;

/** PCR values for the console: one line closed ("8 PCRs: 0-7"), the full values when opened. */
public final class Pcrs {
    private Pcrs() {
    }

    public record Pcr(int index, String hex) {
    }

    /** The PCRs of a stored PCR map (JSON), in index order; empty when there is none. */
    public static List<Pcr> of(String json) {
        List<Pcr> out = new ArrayList<>();
        if (json != null) PcrMap.toHex(json).forEach((k, v) -> out.add(new Pcr(k, v)));
        return List.copyOf(out);
    }

    /** The values of a machine's PCR policy, in index order; empty when it has none. */
    public static List<Pcr> of(PcrPolicy policy) {
        List<Pcr> out = new ArrayList<>();
        policy.values().forEach((k, v) -> out.add(new Pcr(k, HexFormat.of().formatHex(v))));
        return List.copyOf(out);
    }

    /** "8 PCRs: 0, 1, 2, 3, 4, 5, 6, 7 (sha256 ab12cd34...)": which PCRs and the start of the first value. */
    public static String summary(List<Pcr> pcrs) {
        StringBuilder b = new StringBuilder().append(pcrs.size()).append(pcrs.size() == 1 ? " PCR: " : " PCRs: ");
        for (int i = 0; i < pcrs.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(pcrs.get(i).index());
        }
        return b.append(" (show values)").toString();
    }

    /** The first 8 and last 4 hex digits of a long value, for a table cell. */
    public static String shortHex(String hex) {
        if (hex == null) return "";
        return hex.length() <= 16 ? hex : hex.substring(0, 8) + "…" + hex.substring(hex.length() - 4);
    }
}
