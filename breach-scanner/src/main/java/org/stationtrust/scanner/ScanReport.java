package org.stationtrust.scanner;

import java.util.List;

/**
 * What a scan saw: the findings, how much was read, and what was deliberately not read (symbolic links,
 * special files), so that a clean report can be told apart from an empty one.
 */
public record ScanReport(List<Finding> findings, int sources, long bytesScanned, long databaseCells, List<String> skipped) {
    public ScanReport {
        findings = List.copyOf(findings);
        skipped = List.copyOf(skipped);
    }

    public boolean clean() {
        return findings.isEmpty();
    }

    /** The report as printed by the command line: one line per finding and skip, then a summary. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (Finding f : findings) out.append(f.line()).append('\n');
        for (String s : skipped) out.append("SKIPPED ").append(s).append('\n');
        out.append("breach-scanner: ").append(findings.size()).append(findings.size() == 1 ? " finding" : " findings")
                .append(" in ").append(sources).append(" sources (").append(bytesScanned).append(" bytes, ")
                .append(databaseCells).append(" database cells scanned)")
                .append(clean() ? ": clean" : ": sensitive data stored in plaintext, see above").append('\n');
        return out.toString();
    }
}
