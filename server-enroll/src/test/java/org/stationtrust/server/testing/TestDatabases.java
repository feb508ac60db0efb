package org.stationtrust.server.testing;

import java.nio.file.Path;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.Migrations;

/** Fresh, migrated SQLite databases in a test's temp dir. */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static String sqliteUrl(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return "jdbc:sqlite:" + dir.resolve("server.db");
    }

    public static Database migratedSqlite(Path dir) {
        Database db = Database.open(sqliteUrl(dir), null, null);
        new Migrations(db).apply();
        return db;
    }
}
