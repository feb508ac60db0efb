package org.stationtrust.server.internal.audit;

import java.util.List;

/** The outcome of walking the audit chain: intact, or the problems found (row number and what is wrong). */
public record AuditChainReport(long rows, List<String> problems) {
    public AuditChainReport {
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }
}
