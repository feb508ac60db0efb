package org.stationtrust.server.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The server's connection pool. SQLite (default) runs in WAL mode with foreign keys, a busy timeout
 * and IMMEDIATE transactions (a transaction takes the write lock up front, so two writers never
 * deadlock on a lock upgrade); PostgreSQL is chosen by a {@code jdbc:postgresql:} URL.
 */
public final class Database implements AutoCloseable {
    public enum Kind { SQLITE, POSTGRESQL }

    private final HikariDataSource pool;
    private final Kind kind;
    /**
     * SQLite admits one writer at a time and makes the others wait in its busy handler, which sleeps in steps
     * of up to 100 ms: a long tail under load. Writers of this process queue on a fair lock instead (other
     * processes on the same file still meet the busy timeout). PostgreSQL needs no such lock.
     */
    private final ReentrantLock sqliteWriter = new ReentrantLock(true);
    /** SQLite only: the single writer that commits concurrent small writes together (see {@link #batched}). */
    private final GroupCommit groupCommit;
    /** SQLite only: copies the write-ahead log into the database file off the writer's path. */
    private final Checkpointer checkpointer;

    private Database(HikariDataSource pool, Kind kind, GroupCommitObserver observer) {
        this.pool = pool;
        this.kind = kind;
        this.groupCommit = kind == Kind.SQLITE
                ? new GroupCommit(pool, this::lockWriter, this::unlockWriter, observer) : null;
        this.checkpointer = kind == Kind.SQLITE ? new Checkpointer(pool) : null;
    }

    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, null, GroupCommitObserver.NONE);
    }

    /**
     * Opens the pool with its meters (HikariCP's own {@code hikaricp_connections_*} on {@code registry}, when given)
     * and tells {@code observer} of each group-commit batch.
     */
    public static Database open(String jdbcUrl, String user, String password,
                                io.micrometer.core.instrument.MeterRegistry registry, GroupCommitObserver observer) {
        HikariConfig config = new HikariConfig();
        if (registry != null) config.setMetricRegistry(registry);
        config.setPoolName("server-enroll");
        Kind kind;
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            kind = Kind.SQLITE;
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.enforceForeignKeys(true);
            sqlite.setBusyTimeout(10_000);
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            // Every id is made by the server (time-ordered, Secrets.newTimeOrderedId); nothing reads generated keys,
            // and the driver otherwise asks SQLite for them after every insert (perf: 4 % of the writer thread).
            sqlite.setGetGeneratedKeys(false);
            // The committing connection checkpoints only past 10,000 log pages (SQLite's default is 1,000); the
            // Checkpointer thread copies most pages before that, off the writer's path (see there).
            sqlite.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(Checkpointer.WRITER_CHECKPOINT_PAGES));
            // No memory map (SQLite's default, mmap_size 0): in WAL mode a connection that begins a read after another
            // one committed drops its page cache and unmaps the file, so with the group-commit writer committing
            // hundreds of times a second nearly every pooled read paid an munmap, which flushes every core's TLB
            // (docs/performance.md, "Attestation").
            ownerOnly(jdbcUrl);
            SQLiteDataSource ds = new CachingSqliteDataSource(sqlite);
            ds.setUrl(jdbcUrl);
            config.setDataSource(ds);
            config.setMaximumPoolSize(8);
        } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            kind = Kind.POSTGRESQL;
            config.setJdbcUrl(jdbcUrl);
            if (user != null) config.setUsername(user);
            if (password != null) config.setPassword(password);
            config.setMaximumPoolSize(16);
        } else {
            throw new UnsupportedDatabaseUrl(jdbcUrl);
        }
        config.setConnectionTimeout(10_000);
        try {
            return new Database(new HikariDataSource(config), kind, observer);
        } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
            throw new IllegalStateException(cannotConnect(jdbcUrl, user, password, e), e);
        }
    }

    /** What an admin needs to fix a refused or failed connection: which database, as whom, why; never a password. */
    private static String cannotConnect(String jdbcUrl, String user, String password, RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        // Query parameters may carry a password (?password=...): they are left out.
        String where = jdbcUrl.replaceFirst("\\?.*$", "");
        return "cannot connect to the database " + where + (user != null ? " as " + user : "") + ": "
                + cause.getMessage() + (password == null && user != null ? " (no database password was given: put it in "
                + "the file SERVER_DB_PASSWORD_FILE names, /etc/server-enroll/secrets/db-password in the package)" : "");
    }

    /**
     * The database holds the operators' password hashes and token digests: its file is created readable by the owner
     * only (0600), and an existing one is narrowed to that. SQLite creates the -wal and -shm files with the mode of
     * the database file, so they follow.
     */
    private static void ownerOnly(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) file = file.substring(0, query);
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) return;
        java.nio.file.Path path = java.nio.file.Path.of(file);
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return;
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        try {
            if (java.nio.file.Files.notExists(path)) {
                java.nio.file.Files.createFile(path, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(mode));
            }
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                java.nio.file.Path p = java.nio.file.Path.of(file + suffix);
                if (java.nio.file.Files.exists(p)) java.nio.file.Files.setPosixFilePermissions(p, mode);
            }
        } catch (java.io.IOException e) {
            throw new StorageException("Cannot create or restrict the database file " + file + " to mode 0600: "
                    + e.getMessage());
        }
    }

    public Kind kind() {
        return kind;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        lockWriter();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        } finally {
            unlockWriter();
        }
    }

    /**
     * Runs work in a transaction and returns once it committed, like {@link #inTransaction}; on SQLite the work
     * may share its transaction with other requests' writes waiting at the same moment (group commit: one commit,
     * one WAL append, one lock round for many small writes). The work must only touch the database through
     * {@code c}; if it throws, its own writes are rolled back and the others' still commit. A throw costs the batch:
     * it is rolled back whole and every write in it run again alone. So a refusal that is expected from a client (a
     * replayed nonce) is found by the work's first write and returned, the transaction ended without a write, and
     * thrown by the caller after it; a throw is for what cannot be foreseen. On PostgreSQL, which has many writers,
     * it is simply its own transaction.
     */
    public <T> T batched(SqlWork<T> work) {
        return groupCommit == null ? inTransaction(work) : groupCommit.submit(work);
    }

    /** Log pages the background checkpointer has copied into the database file (0 on PostgreSQL); for tests. */
    long walPagesCheckpointed() {
        return checkpointer == null ? 0 : checkpointer.pagesCopied();
    }

    /** Writes waiting for the group-commit writer (0 on PostgreSQL); for tests. */
    int writesWaiting() {
        return groupCommit == null ? 0 : groupCommit.waiting();
    }

    /** Runs one writing statement (auto-commit), queued behind this process's other writers on SQLite. */
    public <T> T write(SqlWork<T> work) {
        lockWriter();
        try {
            return withConnection(work);
        } finally {
            unlockWriter();
        }
    }

    private void lockWriter() {
        if (kind == Kind.SQLITE) sqliteWriter.lock();
    }

    private void unlockWriter() {
        if (kind == Kind.SQLITE) sqliteWriter.unlock();
    }

    /** Runs work on a connection in auto-commit mode (one statement, one transaction). */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (groupCommit != null) groupCommit.close();
        if (checkpointer != null) checkpointer.close();
        pool.close();
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
