package org.stationtrust.server.internal.store;

import java.sql.SQLException;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.jdbc4.JDBC4Connection;

/**
 * The SQLite data source the pool draws from: each physical connection it opens carries its own
 * {@link StatementCache}, so a cache lives and dies with its connection and no map keyed by connections is
 * needed. Otherwise it opens connections exactly as {@link SQLiteDataSource} does (same URL, same properties).
 */
final class CachingSqliteDataSource extends SQLiteDataSource {
    private static final long serialVersionUID = 1L;

    CachingSqliteDataSource(SQLiteConfig config) {
        super(config);
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
        Properties p = getConfig().toProperties();
        if (username != null) p.put("user", username);
        if (password != null) p.put("pass", password);
        String url = getUrl().trim();
        if (!JDBC.isValidURL(url)) throw new SQLException("invalid database address: " + url);
        return new CachingConnection(url, url.substring(JDBC.PREFIX.length()), p);
    }

    /** A driver connection with the cache of the statements prepared on it. */
    static final class CachingConnection extends JDBC4Connection {
        private final StatementCache statements = new StatementCache(this);

        CachingConnection(String url, String fileName, Properties properties) throws SQLException {
            super(url, fileName, properties);
        }

        StatementCache statements() {
            return statements;
        }
    }
}
