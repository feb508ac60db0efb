package org.stationtrust.server.internal.store;

/**
 * The database was migrated by a later release than this server: its schema has versions this server does not
 * know, so this server must not run on it (it would read and write tables it does not understand). Running
 * {@code migrate} cannot help; upgrading this server can.
 */
public final class SchemaNewerThanServer extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SchemaNewerThanServer(int databaseVersion, int serverVersion) {
        super("the database schema is at version " + databaseVersion + ", newer than this server knows (its newest is "
                + serverVersion + "): a later release of server-enroll migrated it. Upgrade this server to that release"
                + " before starting it (docs/operations.md, \"Upgrading\"); 'migrate' cannot go back a version");
    }
}
