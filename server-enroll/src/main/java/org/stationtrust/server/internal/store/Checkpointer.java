package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.stationtrust.logging.JsonLog;

/**
 * Copies SQLite's write-ahead log into the database file from a thread of its own. With SQLite's defaults the
 * connection that commits does this every 1,000 log pages, so the group-commit writer stops for the copy and its
 * fsyncs about ten times a second under load while requests queue behind it. Here every {@link #INTERVAL_MILLIS}
 * this thread runs a PASSIVE checkpoint, which waits for no reader or writer (a page a reader still needs is copied
 * next time). The writer checkpoints only past {@link #WRITER_CHECKPOINT_PAGES} log pages; by then most of the log is
 * copied already, so its own checkpoint is short, and once it completes the log is reused from its start.
 * Measured with the attestation benchmark (server-enroll/README.md, "Benchmark").
 */
final class Checkpointer implements AutoCloseable {
    static final long INTERVAL_MILLIS = 250;
    static final int WRITER_CHECKPOINT_PAGES = 10_000;
    private static final JsonLog LOG = new JsonLog(Checkpointer.class);

    private final DataSource pool;
    private final Thread thread;
    private final AtomicLong pagesCopied = new AtomicLong();
    private volatile boolean closed;

    Checkpointer(DataSource pool) {
        this.pool = pool;
        thread = new Thread(this::loop, "sqlite-checkpointer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Log pages this thread has copied into the database file so far. */
    long pagesCopied() {
        return pagesCopied.get();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
                checkpoint();
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (!closed) LOG.warn("wal_checkpoint_failed", "error", e.getMessage());
            }
        }
    }

    /** Runs one PASSIVE checkpoint and counts the pages it copied. */
    private void checkpoint() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            // One row: busy flag, pages in the log, pages of the log copied into the database file.
            if (rs.next() && rs.getInt(3) > 0) pagesCopied.addAndGet(rs.getInt(3));
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
