package org.stationtrust.server.internal.store;

import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.pcr.PcrPolicy;

/**
 * The part of a machine row that a signed station request needs: identity, state, AK, PCR policy and attestation
 * status. Read fresh on every request, so it is kept narrow: no EK certificate, no enrollment or decision detail.
 */
public record StationMachine(String id, String name, EnrollmentState state, String akPublic, PcrPolicy pcrPolicy,
                             AttestationStatus attestationStatus, Long lastSuccessAt) {

    /** The columns {@link #from} reads, in its order, for a query over {@code machines m}. */
    static final String COLUMNS = "m.id, m.name, m.state, m.ak_public, m.baseline_pcrs, m.golden_pcrs, "
            + "m.attestation_status, m.last_success_at";

    /** Maps the first eight columns of a row selected with {@link #COLUMNS}. */
    static StationMachine from(java.sql.ResultSet rs) throws java.sql.SQLException {
        long lastSuccess = rs.getLong(8);
        return new StationMachine(rs.getString(1), rs.getString(2), EnrollmentState.parse(rs.getString(3)),
                rs.getString(4), PcrPolicy.of(rs.getString(6), rs.getString(5)), AttestationStatus.parse(rs.getString(7)),
                rs.wasNull() ? null : lastSuccess);
    }

    /** Overdue when the last successful attestation is older than the interval (or never happened). */
    public boolean overdue(long now, long intervalMillis) {
        return MachineDetail.overdue(state, lastSuccessAt, now, intervalMillis);
    }
}
