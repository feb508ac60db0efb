package org.stationtrust.server.internal.store;

/**
 * The database setting is not a URL this server can use. Unlike a database that does not answer, this does not change
 * by trying again: the server command exits with the configuration error status, on which the package's unit does not
 * restart.
 */
public final class UnsupportedDatabaseUrl extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedDatabaseUrl(String jdbcUrl) {
        super("Unsupported database URL: expected jdbc:sqlite:<file> or jdbc:postgresql://host:port/db, saw a URL "
                + "starting with '" + jdbcUrl.substring(0, Math.min(jdbcUrl.length(), 16)) + "'");
    }
}
