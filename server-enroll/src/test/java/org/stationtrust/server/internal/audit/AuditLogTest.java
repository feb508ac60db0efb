package org.stationtrust.server.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.testing.TestDatabases;

class AuditLogTest {
    @TempDir
    Path dir;
    Database db;
    AuditLog log;

    @BeforeEach
    void fillChain() {
        db = TestDatabases.migratedSqlite(dir);
        log = new AuditLog(db);
        for (int i = 1; i <= 5; i++) log.append("alice", "enrollment.approve", "m" + i, AuditOutcome.OK, "reason " + i);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        db.close();
    }

    private void sql(String statement) {
        db.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    @Test
    void anUntouchedChainVerifies() {
        AuditChainReport report = log.verify();
        assertTrue(report.intact(), report.problems().toString());
        assertEquals(5, report.rows());
        assertEquals(5, log.recent(10).get(0).seq());
    }

    @Test
    void detectsAnEditedRow() {
        sql("UPDATE audit_events SET detail = 'approved by nobody' WHERE seq = 3");
        AuditChainReport report = log.verify();
        assertFalse(report.intact());
        assertTrue(report.problems().get(0).contains("row 3"), report.problems().toString());
    }

    @Test
    void detectsADeletedRowInTheMiddle() {
        sql("DELETE FROM audit_events WHERE seq = 2");
        assertFalse(log.verify().intact());
    }

    @Test
    void detectsADeletedLastRow() {
        sql("DELETE FROM audit_events WHERE seq = 5");
        AuditChainReport report = log.verify();
        assertFalse(report.intact());
        assertTrue(report.problems().toString().contains("head"), report.problems().toString());
    }

    @Test
    void detectsReorderedRows() {
        // Swap the content of rows 2 and 4, keeping sequence numbers: the links no longer line up.
        sql("UPDATE audit_events SET seq = 100 WHERE seq = 2");
        sql("UPDATE audit_events SET seq = 2 WHERE seq = 4");
        sql("UPDATE audit_events SET seq = 4 WHERE seq = 100");
        assertFalse(log.verify().intact());
    }

    @Test
    void detectsARecomputedRowWhoseSuccessorStillLinksToTheOldHash() {
        String forged = AuditEvent.hashOf(3, 0, "mallory", "x", "y", "OK", "z",
                log.recent(10).get(2).prevHash());
        sql("UPDATE audit_events SET at = 0, actor = 'mallory', action = 'x', subject = 'y', detail = 'z', hash = '"
                + forged + "' WHERE seq = 3");
        AuditChainReport report = log.verify();
        assertFalse(report.intact());
        assertTrue(report.problems().toString().contains("row 4"), report.problems().toString());
    }

    @Test
    void incrementalVerificationStartsAtTheCheckpointAndStillSeesTheCheckpointRowAndEverythingAfter() {
        AuditChainReport full = log.verify();
        assertTrue(full.intact() && full.full());
        for (int i = 6; i <= 8; i++) log.append("bob", "machine.revoke", "m" + i, AuditOutcome.OK, "reason " + i);
        AuditChainReport incremental = log.verifyFromCheckpoint();
        assertTrue(incremental.intact(), incremental.problems().toString());
        assertEquals(5, incremental.fromSeq(), "walks from the last verified row");
        assertEquals(8, incremental.rows());
        for (int i = 9; i <= 10; i++) log.append("bob", "machine.revoke", "m" + i, AuditOutcome.OK, "reason " + i);
        sql("UPDATE audit_events SET detail = 'changed later' WHERE seq = 9");
        AuditChainReport edited = log.verifyFromCheckpoint();
        assertFalse(edited.intact(), "an edit after the checkpoint");
        assertEquals(8, edited.fromSeq());
        sql("UPDATE audit_events SET detail = 'reason 9' WHERE seq = 9");
        assertTrue(log.verifyFromCheckpoint().intact());
        sql("UPDATE audit_events SET detail = 'edited before the checkpoint' WHERE seq = 2");
        assertTrue(log.verifyFromCheckpoint().intact(), "rows before the checkpoint are the full verification's job");
        AuditChainReport again = log.verify();
        assertFalse(again.intact(), "the full verification on demand finds it");
        assertTrue(again.problems().get(0).contains("row 2"), again.problems().toString());
        sql("UPDATE audit_events SET detail = 'x' WHERE seq = 10");
        assertFalse(log.verifyFromCheckpoint().intact(), "the checkpoint row itself is checked");
    }
}
