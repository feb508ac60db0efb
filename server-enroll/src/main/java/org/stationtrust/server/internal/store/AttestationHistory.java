package org.stationtrust.server.internal.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Removes attestation history older than an age the admin chooses (docs/operations.md, "Attestation history"). Every
 * attestation adds a row and nothing else ever removes one, so a fleet's history otherwise grows without end. Rows go
 * machine by machine through the (machine, time) index, a few machines per transaction, so that the server's own
 * writes wait at most one short transaction; the machine's state, last attempt and last success stay in its own row.
 */
public final class AttestationHistory {
    /** The youngest history that may be removed: a mistyped age cannot wipe what an investigation of last week needs. */
    public static final Duration MINIMUM_AGE = Duration.ofDays(7);
    static final int MACHINES_PER_TRANSACTION = 200;

    private final Database db;

    public AttestationHistory(Database db) {
        this.db = db;
    }

    /** Refuses an age under {@link #MINIMUM_AGE}, naming the setting or option it came from. */
    public static void requireMinimumAge(String setting, Duration age) {
        if (age.compareTo(MINIMUM_AGE) < 0) {
            throw new IllegalArgumentException(setting + " must be at least " + MINIMUM_AGE.toDays() + " days (P"
                    + MINIMUM_AGE.toDays() + "D), not " + text(age));
        }
    }

    /** An age as an admin writes it: whole days as {@code P400D} (Java writes PT9600H), anything else as Java does. */
    public static String text(Duration age) {
        return age.toSeconds() % 86_400 == 0 && age.getNano() == 0 ? "P" + age.toDays() + "D" : age.toString();
    }

    /** What a pruning removed: the rows, of how many machines, all recorded before {@code cutoff}. */
    public record Pruned(long rows, long machines, Instant cutoff) {
        /** The words of the audit event and of the command's answer. */
        public String describe() {
            return rows + " attestation rows of " + machines + " machines, recorded before "
                    + cutoff.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
    }

    /** Removes every attestation row recorded before {@code now - age}; {@code age} at least {@link #MINIMUM_AGE}. */
    public Pruned pruneOlderThan(Duration age, Instant now) {
        requireMinimumAge("--older-than", age);
        Instant cutoff = now.minus(age);
        long rows = 0;
        long machines = 0;
        String after = "";
        while (true) {
            String from = after;
            List<String> ids = db.withConnection(c -> Sql.query(c, "SELECT id FROM machines WHERE id > ? ORDER BY id"
                    + " LIMIT ?", rs -> rs.getString(1), from, MACHINES_PER_TRANSACTION));
            if (ids.isEmpty()) break;
            long[] removed = db.inTransaction(c -> {
                long[] n = new long[2];
                for (String id : ids) {
                    int deleted = Sql.update(c, "DELETE FROM attestations WHERE machine_id = ? AND at < ?", id,
                            cutoff.toEpochMilli());
                    n[0] += deleted;
                    if (deleted > 0) n[1]++;
                }
                return n;
            });
            rows += removed[0];
            machines += removed[1];
            after = ids.get(ids.size() - 1);
        }
        return new Pruned(rows, machines, cutoff);
    }
}
