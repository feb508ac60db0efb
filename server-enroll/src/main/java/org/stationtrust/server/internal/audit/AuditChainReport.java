package org.stationtrust.server.internal.audit;

import java.util.List;

/**
 * The outcome of walking the audit chain: intact, or the problems found (row number and what is wrong).
 * {@code fromSeq} is the row the walk started at: 1 for a full verification, the checkpoint's row for an
 * incremental one (rows before it were found intact by an earlier verification); {@code rows} is the chain's length.
 */
public record AuditChainReport(long rows, List<String> problems, long fromSeq) {
    public AuditChainReport {
        problems = List.copyOf(problems);
    }

    public AuditChainReport(long rows, List<String> problems) {
        this(rows, problems, 1);
    }

    public boolean intact() {
        return problems.isEmpty();
    }

    public boolean full() {
        return fromSeq <= 1;
    }
}
