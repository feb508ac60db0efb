package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;

class StatementCacheTest {
    @TempDir
    Path dir;

    @Test
    void aStatementRunAgainOnTheSameConnectionIsCompiledOnceAndSeesItsNewParameters() {
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            db.withConnection(c -> {
                Sql.update(c, "CREATE TABLE sc_probe (k TEXT PRIMARY KEY, v INTEGER)");
                PreparedStatement first;
                try (Prepared p = StatementCache.prepare(c, "SELECT v FROM sc_probe WHERE k = ?")) {
                    first = p.statement();
                }
                for (int i = 0; i < 5; i++) Sql.update(c, "INSERT INTO sc_probe (k, v) VALUES (?, ?)", "k" + i, i);
                for (int i = 0; i < 5; i++) {
                    assertEquals(List.of(i), Sql.query(c, "SELECT v FROM sc_probe WHERE k = ?", rs -> rs.getInt(1),
                            "k" + i));
                }
                try (Prepared p = StatementCache.prepare(c, "SELECT v FROM sc_probe WHERE k = ?")) {
                    assertSame(first, p.statement(), "the same compiled statement is lent again");
                }
                assertTrue(StatementCache.cachedFor(c) >= 3);
                return null;
            });
        }
    }

    @Test
    void theSameSqlUsedWhileItsCachedStatementIsOnLoanGetsAStatementOfItsOwn() {
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            db.withConnection(c -> {
                String sql = "SELECT 1";
                try (Prepared outer = StatementCache.prepare(c, sql); Prepared inner = StatementCache.prepare(c, sql)) {
                    assertNotSame(outer.statement(), inner.statement());
                    assertEquals(1, Sql.one(c, sql, rs -> rs.getInt(1)).orElseThrow());
                }
                assertEquals(1, Sql.one(c, sql, rs -> rs.getInt(1)).orElseThrow(), "still usable after both loans");
                return null;
            });
        }
    }

    @Test
    void aStatementThatFailedIsDroppedAndTheNextUseCompilesAFreshOne() {
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            db.withConnection(c -> {
                Sql.update(c, "CREATE TABLE sc_unique (k TEXT PRIMARY KEY)");
                String insert = "INSERT INTO sc_unique (k) VALUES (?)";
                Sql.update(c, insert, "a");
                PreparedStatement before;
                try (Prepared p = StatementCache.prepare(c, insert)) {
                    before = p.statement();
                }
                assertThrows(SQLException.class, () -> Sql.update(c, insert, "a"), "duplicate key");
                assertTrue(before.isClosed(), "the statement that threw is closed, not lent again");
                assertEquals(1, Sql.update(c, insert, "b"));
                assertEquals(2, Sql.one(c, "SELECT COUNT(*) FROM sc_unique", rs -> rs.getInt(1)).orElseThrow());
                return null;
            });
        }
    }
}
