package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * The prepared statements of one SQLite connection, kept so that a statement run on every station request is
 * compiled once per connection instead of once per request (sqlite-jdbc has no cache of its own; pgjdbc has, so
 * PostgreSQL connections prepare as usual). Each connection owns its cache ({@link CachingSqliteDataSource}), and
 * the pool lends a connection to one thread at a time, so a cache needs no lock. A cached statement on loan is
 * never lent twice: a nested use of the same SQL text gets a statement of its own. A statement that threw is
 * closed and dropped, not reused.
 */
final class StatementCache {
    /** More distinct statements than the code has means SQL text built at run time: those are not cached. */
    static final int MAX_PER_CONNECTION = 256;
    private final SQLiteConnection connection;
    private final Map<String, Entry> entries = new HashMap<>();

    StatementCache(SQLiteConnection connection) {
        this.connection = connection;
    }

    /** One cached statement of one connection. */
    static final class Entry {
        private final Map<String, Entry> owner;
        private final String sql;
        private final PreparedStatement statement;
        private boolean onLoan;

        private Entry(Map<String, Entry> owner, String sql, PreparedStatement statement) {
            this.owner = owner;
            this.sql = sql;
            this.statement = statement;
        }

        void giveBack(boolean failed) throws SQLException {
            if (failed) {
                drop();
                return;
            }
            try {
                statement.clearParameters();
                onLoan = false;
            } catch (SQLException | RuntimeException e) {
                drop();
                throw e;
            }
        }

        private void drop() throws SQLException {
            owner.remove(sql, this);
            statement.close();
        }
    }

    /**
     * Prepares sql on c: from the cache of c's driver connection when it has one (SQLite through
     * {@link CachingSqliteDataSource}), fresh otherwise. Close the loan after use.
     */
    static Prepared prepare(Connection c, String sql) throws SQLException {
        if (!c.isWrapperFor(CachingSqliteDataSource.CachingConnection.class)) {
            return new Prepared(c.prepareStatement(sql), null);
        }
        return c.unwrap(CachingSqliteDataSource.CachingConnection.class).statements().lend(sql);
    }

    private Prepared lend(String sql) throws SQLException {
        Entry cached = entries.get(sql);
        if (cached != null && !cached.onLoan && !cached.statement.isClosed()) {
            cached.onLoan = true;
            return new Prepared(cached.statement, cached);
        }
        if (cached != null && !cached.onLoan) entries.remove(sql); // closed underneath us: replace it
        // Prepared on the driver's own connection, so the pool's proxy does not close it when the connection returns.
        PreparedStatement fresh = connection.prepareStatement(sql);
        if (!entries.containsKey(sql) && entries.size() < MAX_PER_CONNECTION) {
            Entry entry = new Entry(entries, sql, fresh);
            entry.onLoan = true;
            entries.put(sql, entry);
            return new Prepared(fresh, entry);
        }
        return new Prepared(fresh, null);
    }

    /** Statements cached for c's driver connection (0 when none, or not SQLite); for tests. */
    static int cachedFor(Connection c) throws SQLException {
        if (!c.isWrapperFor(CachingSqliteDataSource.CachingConnection.class)) return 0;
        return c.unwrap(CachingSqliteDataSource.CachingConnection.class).statements().entries.size();
    }
}
