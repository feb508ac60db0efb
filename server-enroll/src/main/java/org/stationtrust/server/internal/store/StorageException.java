package org.stationtrust.server.internal.store;

import java.sql.SQLException;

/** The database failed or refused a statement; the request cannot be completed (HTTP 503). */
public final class StorageException extends RuntimeException {
    public StorageException(SQLException cause) {
        super("Database operation failed (SQLState " + cause.getSQLState() + "): check that the database is "
                + "reachable and migrated (server-enroll migrate)", cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
