package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Prepared statements kept per SQLite connection, so that a statement run on every station request is compiled
 * once per connection instead of once per request (sqlite-jdbc has no cache of its own; pgjdbc has, so PostgreSQL
 * connections prepare as usual). The pool lends a connection to one thread at a time, so each connection's map
 * needs no lock of its own. A cached statement on loan is never lent twice: a nested use of the same SQL text gets
 * a statement of its own. A statement that threw is closed and dropped, not reused. The maps of connections the
 * pool has closed are dropped when the next new connection is first seen.
 */
final class StatementCache {
    /** More distinct statements than the code has means SQL text built at run time: those are not cached. */
    static final int MAX_PER_CONNECTION = 256;
    private static final ConcurrentHashMap<SQLiteConnection, Map<String, Entry>> CACHES = new ConcurrentHashMap<>();

    private StatementCache() {
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

    /** Prepares sql on c: from this connection's cache on SQLite, fresh elsewhere. Close the loan after use. */
    static Prepared prepare(Connection c, String sql) throws SQLException {
        if (!c.isWrapperFor(SQLiteConnection.class)) return new Prepared(c.prepareStatement(sql), null);
        SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
        Map<String, Entry> cache = CACHES.get(raw);
        if (cache == null) {
            CACHES.keySet().removeIf(StatementCache::closed);
            cache = new HashMap<>();
            CACHES.put(raw, cache);
        }
        Entry cached = cache.get(sql);
        if (cached != null && !cached.onLoan && !cached.statement.isClosed()) {
            cached.onLoan = true;
            return new Prepared(cached.statement, cached);
        }
        if (cached != null && !cached.onLoan) cache.remove(sql); // closed underneath us: replace it
        // Prepared on the driver's own connection, so the pool's proxy does not close it when the connection returns.
        PreparedStatement fresh = raw.prepareStatement(sql);
        if (!cache.containsKey(sql) && cache.size() < MAX_PER_CONNECTION) {
            Entry entry = new Entry(cache, sql, fresh);
            entry.onLoan = true;
            cache.put(sql, entry);
            return new Prepared(fresh, entry);
        }
        return new Prepared(fresh, null);
    }

    /** Statements cached for c's driver connection (0 when none, or not SQLite); for tests. */
    static int cachedFor(Connection c) throws SQLException {
        if (!c.isWrapperFor(SQLiteConnection.class)) return 0;
        Map<String, Entry> cache = CACHES.get(c.unwrap(SQLiteConnection.class));
        return cache == null ? 0 : cache.size();
    }

    private static boolean closed(SQLiteConnection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
