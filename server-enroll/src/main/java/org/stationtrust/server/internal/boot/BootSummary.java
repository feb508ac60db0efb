package org.stationtrust.server.internal.boot;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import org.stationtrust.tpm.eventlog.BootApplication;
import org.stationtrust.tpm.eventlog.BootAuthority;
import org.stationtrust.tpm.eventlog.BootState;
import org.stationtrust.tpm.eventlog.SignatureEntry;

/**
 * What is kept of an accepted boot to compare the next one with: the parts an admin recognises
 * (firmware, Secure Boot databases, authorities, boot applications), as display strings. The lines of
 * PK, KEK, db and dbx are written only when read (stored, compared or shown): a summary is made for every
 * judged boot, and a dbx holds hundreds of hashes. {@code bank} is the bank the log was judged in ({@code SHA256} or
 * {@code SHA1}); null in a summary stored before it was kept.
 */
public record BootSummary(String bank, String secureBoot, List<String> firmwareVersions, List<String> firmwareBlobs,
        List<String> pk, List<String> kek, List<String> db, List<String> dbx, List<String> authorities,
        List<String> bootApplications, List<String> debugFlags) {
    private static final int LISTED = 5;

    public BootSummary {
        Objects.requireNonNull(secureBoot, "secureBoot");
        firmwareVersions = List.copyOf(firmwareVersions);
        firmwareBlobs = List.copyOf(firmwareBlobs);
        pk = Described.copyOf(pk);
        kek = Described.copyOf(kek);
        db = Described.copyOf(db);
        dbx = Described.copyOf(dbx);
        authorities = Described.copyOf(authorities);
        bootApplications = List.copyOf(bootApplications);
        debugFlags = List.copyOf(debugFlags);
    }

    public static BootSummary of(BootState s) {
        return new BootSummary(s.bank().name(), s.secureBoot().name(), s.firmwareVersions(), s.firmwareBlobs(), describe(s.pk()),
                describe(s.kek()), describe(s.db()), describe(s.dbx()),
                describe(distinct(s.authorities())),
                s.bootApplications().stream().map(BootSummary::application).toList(),
                s.debugFlags().stream().map(Enum::name).sorted().toList());
    }

    /** The authorities' entries, each certificate or hash once (the first event that names it). */
    private static List<SignatureEntry> distinct(List<BootAuthority> authorities) {
        List<SignatureEntry> out = new ArrayList<>();
        for (BootAuthority a : authorities) {
            if (out.stream().noneMatch(e -> e.sameContent(a.entry()))) {
                out.add(a.entry());
            }
        }
        return out;
    }

    private static List<String> describe(List<SignatureEntry> entries) {
        return new Described(List.copyOf(entries));
    }

    /**
     * The {@link SignatureEntry#describe()} lines of an immutable list of entries, each written when first read (the
     * entry keeps it); equal to, and written to JSON as, the list of those strings.
     */
    private static final class Described extends AbstractList<String> implements RandomAccess {
        private final List<SignatureEntry> entries;

        Described(List<SignatureEntry> entries) {
            this.entries = entries;
        }

        static List<String> copyOf(List<String> lines) {
            return lines instanceof Described ? lines : List.copyOf(lines);
        }

        @Override
        public String get(int index) {
            return entries.get(index).describe();
        }

        @Override
        public int size() {
            return entries.size();
        }
    }

    private static String application(BootApplication a) {
        return (a.path().isEmpty() ? "(no path)" : a.path()) + " sha256 " + a.digest();
    }

    /** Event-level differences from {@code previous}, e.g. "db: + CN=Windows UEFI CA 2023,..."; empty when none. */
    public List<String> changesSince(BootSummary previous) {
        List<String> out = new ArrayList<>();
        if (!secureBoot.equals(previous.secureBoot)) {
            out.add("Secure Boot: " + previous.secureBoot + " -> " + secureBoot);
        }
        diff(out, "firmware version", previous.firmwareVersions, firmwareVersions);
        if (!firmwareBlobs.equals(previous.firmwareBlobs)) {
            out.add("firmware: measured blobs changed (" + previous.firmwareBlobs.size() + " -> " + firmwareBlobs.size()
                    + " digests)");
        }
        diff(out, "PK", previous.pk, pk);
        diff(out, "KEK", previous.kek, kek);
        diff(out, "db", previous.db, db);
        diff(out, "dbx", previous.dbx, dbx);
        diff(out, "authority", previous.authorities, authorities);
        diff(out, "boot application", previous.bootApplications, bootApplications);
        diff(out, "debug", previous.debugFlags, debugFlags);
        return out;
    }

    private static void diff(List<String> out, String what, List<String> before, List<String> after) {
        Set<String> added = new LinkedHashSet<>(after);
        before.forEach(added::remove);
        Set<String> removed = new LinkedHashSet<>(before);
        after.forEach(removed::remove);
        list(out, what + ": + ", added);
        list(out, what + ": - ", removed);
    }

    private static void list(List<String> out, String prefix, Set<String> entries) {
        int n = 0;
        for (String e : entries) {
            if (n++ == LISTED) {
                out.add(prefix + (entries.size() - LISTED) + " more");
                return;
            }
            out.add(prefix + e);
        }
    }
}
