package org.stationtrust.tpm.eventlog;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * A log whose events replay, in {@code bank}, to the quoted value of every PCR in {@code pcrs}. Only
 * events of those PCRs count for the boot state.
 *
 * @param exitBootServicesTolerated PCR 5 matched only once the two "Exit Boot Services" actions the
 *        firmware measures but does not log were added (a known firmware defect the policy allowed)
 */
public record VerifiedEventLog(EventLog log, HashAlgorithm bank, SortedSet<Integer> pcrs,
        boolean exitBootServicesTolerated) {
    public VerifiedEventLog {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(bank, "bank");
        pcrs = Collections.unmodifiableSortedSet(new TreeSet<>(pcrs));
    }
}
