package org.stationtrust.tpm.eventlog;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * What the boot was, read only from events of PCRs that replayed to a quote and, for content, only
 * where an event's digest in {@code bank} equals the hash of its data. Because the event type is not
 * covered by any digest, events are recognised by their PCR and content (a relabelled event is still
 * found). Anything that could not be trusted is listed in {@code notes}.
 *
 * @param trustedPcrs the PCRs whose events were read (those that replayed)
 * @param pk Platform Key entries, {@code kek}, {@code db}, {@code dbx} likewise (PCR 7 before its separator)
 * @param authorities the db entries that verified boot applications (EV_EFI_VARIABLE_AUTHORITY)
 * @param firmwareVersions EV_S_CRTM_VERSION strings of PCR 0
 * @param firmwareBlobs digests of PCR 0's firmware measurements (CRTM contents, firmware blobs, POST code)
 * @param exitBootServices PCR 5 holds the "Exit Boot Services Invocation" action
 * @param exitBootServicesTolerated PCR 5 replayed only with the unlogged Exit Boot Services actions added
 */
public record BootState(HashAlgorithm bank, SortedSet<Integer> trustedPcrs, SecureBoot secureBoot,
        List<SignatureEntry> pk, List<SignatureEntry> kek, List<SignatureEntry> db, List<SignatureEntry> dbx,
        List<BootAuthority> authorities, List<BootApplication> bootApplications, List<String> firmwareVersions,
        List<String> firmwareBlobs, List<BootVariable> bootVariables, List<Separator> separators,
        boolean exitBootServices, boolean exitBootServicesTolerated, Set<DebugFlag> debugFlags, List<String> notes) {
    public BootState {
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(secureBoot, "secureBoot");
        trustedPcrs = Collections.unmodifiableSortedSet(new TreeSet<>(trustedPcrs));
        pk = List.copyOf(pk);
        kek = List.copyOf(kek);
        db = List.copyOf(db);
        dbx = List.copyOf(dbx);
        authorities = List.copyOf(authorities);
        bootApplications = List.copyOf(bootApplications);
        firmwareVersions = List.copyOf(firmwareVersions);
        firmwareBlobs = List.copyOf(firmwareBlobs);
        bootVariables = List.copyOf(bootVariables);
        separators = List.copyOf(separators);
        debugFlags = debugFlags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(debugFlags));
        notes = List.copyOf(notes);
    }

    /** The boot state of a log verified against a quote: only its verified PCRs count. */
    public static BootState of(VerifiedEventLog verified) {
        return BootStateReader.read(verified.log(), verified.bank(), verified.pcrs(),
                verified.exitBootServicesTolerated(), EventLogLimits.DEFAULT.maxNesting());
    }

    /**
     * The boot state a log claims, without a quote (for an admin reading a log): every PCR counts, so
     * this says what the log shows, not what the machine booted.
     */
    public static BootState claimedBy(EventLog log, HashAlgorithm bank) {
        SortedSet<Integer> all = new TreeSet<>();
        for (int i = 0; i < ReplayedPcrs.PCR_COUNT; i++) {
            all.add(i);
        }
        return BootStateReader.read(log, bank, all, false, EventLogLimits.DEFAULT.maxNesting());
    }
}
