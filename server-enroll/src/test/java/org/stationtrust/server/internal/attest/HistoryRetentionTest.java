package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.audit.AuditEvent;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.store.AttestationHistory;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.Migrations;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.MovableClock;

/** The server's own pruning of attestation history, on real SQLite, with a clock the test moves. */
class HistoryRetentionTest {
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;

    @Test
    void removesWhatPassesTheRetentionAsTimeGoesOnAuditingOnlyTheRunsThatRemovedRows() {
        MovableClock clock = MovableClock.frozenNow();
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("history.db"), null, null)) {
            new Migrations(db).apply();
            long now = clock.millis();
            for (int m = 0; m < 2; m++) {
                String id = TestServer.seedMachine(db, new SoftwareStation(), EnrollmentState.ACTIVE, false);
                for (long age : new long[] {40, 31, 29, 1}) seedRow(db, id, now - age * DAY.toMillis());
            }
            AuditLog audit = new AuditLog(db);
            HistoryRetention retention = new HistoryRetention(new AttestationHistory(db), audit, Duration.ofDays(30),
                    clock);

            AttestationHistory.Pruned first = retention.runOnce();
            assertEquals(4, first.rows(), "the rows of 40 and 31 days of both machines");
            assertEquals(2, first.machines());
            assertEquals(4, count(db, "SELECT COUNT(*) FROM attestations"));
            assertEquals(1, prunes(audit).size());
            assertTrue(prunes(audit).get(0).detail().contains("removed 4 attestation rows of 2 machines")
                    && prunes(audit).get(0).detail().contains("retention P30D"), prunes(audit).get(0).detail());
            assertEquals("server", prunes(audit).get(0).actor());

            assertEquals(0, retention.runOnce().rows(), "nothing more is old enough");
            assertEquals(1, prunes(audit).size(), "a run that removed nothing writes no audit event");

            clock.advance(DAY.multipliedBy(2));
            AttestationHistory.Pruned later = retention.runOnce();
            assertEquals(2, later.rows(), "two days on, the rows of 29 days pass the retention too");
            assertEquals(2, count(db, "SELECT COUNT(*) FROM attestations"), "the rows of 1 day stay");
            assertEquals(2, prunes(audit).size());
        }
    }

    private static ServerConfig.Builder config() {
        return ServerConfig.builder("jdbc:sqlite:x.db").tls(ServerConfig.TlsMode.PLAINTEXT);
    }

    @Test
    void aRetentionUnderAWeekIsRefusedBeforeAnythingIsRemoved() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config().historyRetention(Duration.ofDays(6)).build());
        assertTrue(e.getMessage().contains("attestation-history-retention must be at least 7 days (P7D), not P6D"),
                e.getMessage());
        assertEquals(Duration.ofDays(400),
                config().historyRetention(Duration.ofDays(400)).build().historyRetention());
        assertEquals(null, config().build().historyRetention(),
                "unset by default: the server keeps all history");
    }

    private static List<AuditEvent> prunes(AuditLog audit) {
        return audit.recent(100).stream().filter(e -> e.action().equals("attestation_history.prune")).toList();
    }

    private static void seedRow(Database db, String machineId, long at) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO attestations (id, machine_id, at, outcome, detail,"
                    + " pcrs) VALUES (?, ?, ?, 'PASSED', 'seeded', NULL)")) {
                s.setString(1, UUID.randomUUID().toString());
                s.setString(2, machineId);
                s.setLong(3, at);
                return s.executeUpdate();
            }
        });
    }

    private static long count(Database db, String sql) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
