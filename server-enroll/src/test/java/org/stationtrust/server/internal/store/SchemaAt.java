package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The schema as an earlier migration left it, for tests of what a later migration does to stored rows. */
final class SchemaAt {
    private SchemaAt() {
    }

    /** Applies the migrations up to {@code version} (SQL files only) in {@code c}, recorded as applied. */
    static void create(Connection c, int version) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, "
                    + "applied_at BIGINT NOT NULL)");
            for (Migrations.Migration m : Migrations.load().subList(0, version)) {
                for (String statement : Migrations.statements(m.sql())) st.execute(statement);
                Sql.update(c, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                        m.version(), m.name(), 0L);
            }
        }
    }
}
