package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.stationtrust.protocol.EnrollmentState;

/**
 * Machine counts by enrollment state and attestation status, read with one grouped query: the console's overview and
 * the fleet gauges.
 */
public record StateCounts(Map<Key, Long> counts) {
    /** One group of machines. */
    public record Key(EnrollmentState state, AttestationStatus attestation) {
    }

    public static final StateCounts EMPTY = new StateCounts(Map.of());

    public StateCounts {
        counts = Map.copyOf(counts);
    }

    static StateCounts read(Connection c) throws SQLException {
        Map<Key, Long> counts = new HashMap<>();
        Sql.query(c, "SELECT state, attestation_status, COUNT(*) FROM machines GROUP BY state, attestation_status",
                rs -> counts.put(new Key(EnrollmentState.parse(rs.getString(1)), AttestationStatus.parse(rs.getString(2))),
                        rs.getLong(3)));
        return new StateCounts(counts);
    }

    /** Machines in this state, whatever their attestation status. */
    public long inState(EnrollmentState state) {
        return counts.entrySet().stream().filter(e -> e.getKey().state() == state).mapToLong(Map.Entry::getValue).sum();
    }

    /** Machines in this state with this attestation status. */
    public long with(EnrollmentState state, AttestationStatus attestation) {
        return counts.getOrDefault(new Key(state, attestation), 0L);
    }
}
