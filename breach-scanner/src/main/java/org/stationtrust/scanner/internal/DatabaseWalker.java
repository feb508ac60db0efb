package org.stationtrust.scanner.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.stationtrust.scanner.Finding;

/**
 * Reads every value of every column of every table a JDBC connection can see (SQLite and PostgreSQL),
 * column by column so only one value is in memory at a time. Numbers, booleans and dates are skipped:
 * they cannot hold an encoded record or a secret of the scanned shapes.
 */
public final class DatabaseWalker {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema");
    private final ContentScanner content;

    public DatabaseWalker(ContentScanner content) {
        this.content = content;
    }

    /** A table and the columns to read. */
    record Table(String schema, String name, List<String> columns) {
        String qualified() {
            return (schema == null ? "" : quote(schema) + ".") + quote(name);
        }

        String label() {
            return (schema == null ? "" : schema + ".") + name;
        }
    }

    /** Scans and returns the number of non-null cells read. */
    public long scan(Connection db, String databaseLabel, Consumer<Finding> findings) throws SQLException {
        long cells = 0;
        for (Table table : tables(db.getMetaData())) {
            for (String column : table.columns()) {
                // Identifiers come from the database's own catalogue and are quoted; no input reaches this SQL.
                String sql = "SELECT " + quote(column) + " FROM " + table.qualified();
                try (Statement st = db.createStatement()) {
                    st.setFetchSize(100);
                    try (ResultSet rs = st.executeQuery(sql)) {
                        long row = 0;
                        while (rs.next()) {
                            row++;
                            byte[] value = bytesOf(rs.getObject(1));
                            if (value == null) continue;
                            cells++;
                            String location = databaseLabel + " table=" + table.label() + " column=" + column + " row=" + row;
                            content.scan(value, location, findings);
                        }
                    }
                }
            }
        }
        return cells;
    }

    private static List<Table> tables(DatabaseMetaData meta) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema != null && SYSTEM_SCHEMAS.contains(schema)) continue;
                tables.add(new Table(schema, rs.getString("TABLE_NAME"), new ArrayList<>()));
            }
        }
        for (Table t : tables) {
            try (ResultSet rs = meta.getColumns(null, t.schema(), t.name(), "%")) {
                while (rs.next()) t.columns().add(rs.getString("COLUMN_NAME"));
            }
        }
        return tables;
    }

    static byte[] bytesOf(Object value) throws SQLException {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof java.util.Date
                || value instanceof java.time.temporal.Temporal) {
            return null;
        }
        if (value instanceof byte[] b) return b;
        if (value instanceof Array a) {
            StringBuilder joined = new StringBuilder();
            for (Object o : (Object[]) a.getArray()) joined.append(o).append('\n');
            return joined.toString().getBytes(StandardCharsets.UTF_8);
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
