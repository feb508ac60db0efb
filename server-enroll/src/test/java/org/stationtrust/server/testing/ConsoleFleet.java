package org.stationtrust.server.testing;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.store.Database;

/**
 * A generated fleet for the console's list tests and benchmark, written with batched INSERTs straight into the
 * machines table (as enrollment would leave them, without the TPM round trips). Machine {@code i} is named
 * {@code <prefix>-<i>} (zero-padded to six digits), has EK serial {@code SN<i>}, a TPM manufacturer cycling
 * through {@link #MANUFACTURERS}, a state cycling through {@link #STATES}, an attestation status cycling through
 * OK, FAILED and NONE for active machines, and was enrolled {@code i} minutes after {@code startMillis}. Every
 * tenth machine has a measured boot state with firmware "StationBIOS 1.0<i % 3>" and that firmware in its column
 * (as {@code BootStore.record} writes them together).
 */
public final class ConsoleFleet {
    public static final List<String> MANUFACTURERS = List.of("IFX", "STM", "NTC", "INTC");
    public static final List<EnrollmentState> STATES = List.of(EnrollmentState.ACTIVE, EnrollmentState.PENDING_APPROVAL,
            EnrollmentState.ACTIVE, EnrollmentState.REVOKED, EnrollmentState.REJECTED);
    public static final List<String> ATTESTATIONS = List.of("OK", "FAILED", "NONE");
    private static final String PCRS = "{\"0\":\"" + "00".repeat(32) + "\"}";

    private ConsoleFleet() {
    }

    public record Generated(String id, String name, EnrollmentState state, String attestation, long createdAt) {
    }

    public static Generated machine(String prefix, int i, long startMillis) {
        EnrollmentState state = STATES.get(i % STATES.size());
        String attestation = state == EnrollmentState.ACTIVE ? ATTESTATIONS.get((i / STATES.size()) % 3) : "NONE";
        return new Generated(String.format("%s%026x", prefix.length() >= 6 ? prefix.substring(0, 6)
                : (prefix + "000000").substring(0, 6), i), String.format("%s-%06d", prefix, i), state, attestation,
                startMillis + i * 60_000L);
    }

    /** Inserts machines {@code from..to-1}; ids are {@code prefix} (6 hex digits) and the index in hex. */
    public static List<Generated> seed(Database db, String prefix, int from, int to, long startMillis) {
        List<Generated> out = new ArrayList<>();
        db.inTransaction(c -> {
            try (PreparedStatement m = c.prepareStatement("INSERT INTO machines (id, name, state, ek_public, ek_name, "
                    + "ek_verified, ek_subject, ek_issuer, ek_serial, tpm_manufacturer, ak_public, request_source, "
                    + "created_at, attestation_status, first_quote_pcrs, baseline_pcrs, last_attempt_at, last_success_at, "
                    + "firmware) VALUES (?, ?, ?, 'AAAA', ?, 1, ?, 'CN=Generated TPM CA', ?, ?, 'AAAA', 'generated', ?, ?, ?, "
                    + "?, ?, ?, ?)");
                 PreparedStatement boot = c.prepareStatement("INSERT INTO machine_boot (machine_id, last_result, "
                         + "last_at) VALUES (?, 'PASSED', ?)");
                 PreparedStatement state = c.prepareStatement("INSERT INTO machine_boot_documents (machine_id, "
                         + "last_state) VALUES (?, ?)")) {
                int batch = 0;
                for (int i = from; i < to; i++) {
                    Generated g = machine(prefix, i, startMillis);
                    m.setString(1, g.id());
                    m.setString(2, g.name());
                    m.setString(3, g.state().name());
                    m.setString(4, "ek-" + g.id());
                    m.setString(5, "CN=" + g.name());
                    m.setString(6, "SN" + i);
                    m.setString(7, MANUFACTURERS.get(i % MANUFACTURERS.size()));
                    m.setLong(8, g.createdAt());
                    m.setString(9, g.attestation());
                    m.setString(10, PCRS);
                    boolean active = g.state() == EnrollmentState.ACTIVE;
                    m.setString(11, active ? PCRS : null);
                    if (active && !"NONE".equals(g.attestation())) m.setLong(12, g.createdAt());
                    else m.setNull(12, java.sql.Types.BIGINT);
                    if (active && "OK".equals(g.attestation())) m.setLong(13, System.currentTimeMillis());
                    else m.setNull(13, java.sql.Types.BIGINT);
                    m.setString(14, i % 10 == 0 ? firmware(i) : null);
                    m.addBatch();
                    if (i % 10 == 0) {
                        boot.setString(1, g.id());
                        boot.setLong(2, g.createdAt());
                        boot.addBatch();
                        state.setString(1, g.id());
                        state.setString(2, "{\"secureBoot\":\"ON\",\"firmwareVersions\":[\"" + firmware(i) + "\"]}");
                        state.addBatch();
                    }
                    out.add(g);
                    if (++batch % 1000 == 0) {
                        m.executeBatch();
                        boot.executeBatch();
                        state.executeBatch();
                    }
                }
                m.executeBatch();
                boot.executeBatch();
                state.executeBatch();
            }
            return null;
        });
        return out;
    }

    /** The firmware of generated machine {@code i} when it has a boot state (every tenth). */
    public static String firmware(int i) {
        return "StationBIOS 1.0" + (i % 3);
    }

    /** One machine with a name of the caller's choosing (hostile names), pending approval. */
    public static String seedNamed(Database db, String id, String name, long createdAt) {
        db.inTransaction(c -> {
            try (PreparedStatement m = c.prepareStatement("INSERT INTO machines (id, name, state, ek_public, ek_name, "
                    + "ek_verified, ek_serial, tpm_manufacturer, ak_public, request_source, created_at, "
                    + "attestation_status, first_quote_pcrs) VALUES (?, ?, 'PENDING_APPROVAL', 'AAAA', ?, 0, ?, ?, "
                    + "'AAAA', 'generated', ?, 'NONE', ?)")) {
                m.setString(1, id);
                m.setString(2, name);
                m.setString(3, "ek-" + id);
                m.setString(4, name);
                m.setString(5, name);
                m.setLong(6, createdAt);
                m.setString(7, PCRS);
                m.executeUpdate();
            }
            return null;
        });
        return id;
    }
}
