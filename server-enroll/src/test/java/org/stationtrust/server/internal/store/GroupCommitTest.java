package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;

class GroupCommitTest {
    @TempDir
    Path dir;

    private static final int WRITES = 12;

    /** Holds the writer inside a first write until the others have queued, so they are tried as one batch. */
    private List<Future<Object>> queueBehindAGate(Database db, ExecutorService pool, List<Database.SqlWork<Object>> works)
            throws Exception {
        CountDownLatch gateEntered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Future<Object> first = pool.submit(() -> db.batched(c -> {
            gateEntered.countDown();
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return Sql.update(c, "INSERT INTO gc_probe (k) VALUES ('gate')");
        }));
        assertTrue(gateEntered.await(60, TimeUnit.SECONDS));
        List<Future<Object>> answers = new ArrayList<>();
        for (Database.SqlWork<Object> w : works) answers.add(pool.submit(() -> db.batched(w)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (db.writesWaiting() < works.size() && System.nanoTime() < deadline) LockSupport.parkNanos(1_000_000);
        assertEquals(works.size(), db.writesWaiting(), "all writes queued behind the gate");
        gate.countDown();
        assertEquals(1, first.get(60, TimeUnit.SECONDS));
        return answers;
    }

    private static int rows(Database db, String where) {
        return db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM gc_probe WHERE " + where, rs -> rs.getInt(1))
                .orElseThrow());
    }

    @Test
    void oneFailingWriteInABatchIsRolledBackAloneAndTheOthersCommit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITES + 1);
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            db.withConnection(c -> Sql.update(c, "CREATE TABLE gc_probe (k TEXT PRIMARY KEY)"));
            List<Database.SqlWork<Object>> works = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                String k = "w" + i;
                boolean fails = i == 5;
                works.add(c -> {
                    Sql.update(c, "INSERT INTO gc_probe (k) VALUES (?)", k);
                    if (fails) throw new IllegalStateException("refused after writing " + k);
                    return k;
                });
            }
            List<Future<Object>> answers = queueBehindAGate(db, pool, works);
            for (int i = 0; i < WRITES; i++) {
                if (i == 5) {
                    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                            answers.get(i)::get);
                    assertEquals("refused after writing w5", e.getCause().getMessage());
                } else {
                    assertEquals("w" + i, answers.get(i).get(60, TimeUnit.SECONDS));
                }
            }
            assertEquals(0, rows(db, "k = 'w5'"), "the failed write left nothing");
            assertEquals(WRITES - 1, rows(db, "k LIKE 'w%'"), "every other write committed");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoWritesOfTheSameUniqueKeyInOneBatchAreAcceptedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITES + 1);
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            db.withConnection(c -> Sql.update(c, "CREATE TABLE gc_probe (k TEXT PRIMARY KEY)"));
            List<Database.SqlWork<Object>> works = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                String k = i % 2 == 0 ? "same" : "other" + i;
                works.add(c -> Sql.update(c, "INSERT INTO gc_probe (k) VALUES (?) ON CONFLICT (k) DO NOTHING", k));
            }
            List<Future<Object>> answers = queueBehindAGate(db, pool, works);
            int acceptedSame = 0;
            for (int i = 0; i < WRITES; i++) {
                int n = (Integer) answers.get(i).get(60, TimeUnit.SECONDS);
                if (i % 2 == 0) acceptedSame += n;
                else assertEquals(1, n);
            }
            assertEquals(1, acceptedSame, "a unique key is accepted for exactly one write");
            assertEquals(1 + WRITES / 2 + 1, rows(db, "1 = 1"), "gate, 'same' once, and every other key");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWriteHandedOverAfterTheWriterStoppedIsAnsweredAtOnceAsNotRun() {
        GroupCommit commit = new GroupCommit(new org.sqlite.SQLiteDataSource(), () -> { }, () -> { },
                GroupCommitObserver.NONE);
        commit.close();
        // what a submit that looked before close() and queued after the writer's last look does
        long start = System.nanoTime();
        StorageException e = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
                () -> commit.handOver(new GroupCommit.Pending<>(c -> 1)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getCause().getMessage().contains("database closed before the write ran"), e.getCause().getMessage());
        assertTrue(millis < 5_000, "answered at once, not after the minute a commit may take: " + millis + " ms");
    }
}
