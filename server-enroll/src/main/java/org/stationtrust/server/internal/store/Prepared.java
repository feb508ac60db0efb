package org.stationtrust.server.internal.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A prepared statement on loan from {@link StatementCache}: closing it hands a cached statement back for the next
 * use, or closes one that is not cached. A statement marked failed is closed and dropped from the cache.
 */
final class Prepared implements AutoCloseable {
    private final PreparedStatement statement;
    private final StatementCache.Entry entry;
    private boolean failed;

    Prepared(PreparedStatement statement, StatementCache.Entry entry) {
        this.statement = statement;
        this.entry = entry;
    }

    PreparedStatement statement() {
        return statement;
    }

    /** The statement threw: it is closed, not reused, when this loan closes. */
    void failed() {
        failed = true;
    }

    @Override
    public void close() throws SQLException {
        if (entry == null) {
            statement.close();
        } else {
            entry.giveBack(failed);
        }
    }
}
