package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Parameterised statements only: every value is bound, never concatenated into SQL text. */
final class Sql {
    private Sql() {
    }

    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (Prepared p = prepare(c, sql, params)) {
            try {
                return p.statement().executeUpdate();
            } catch (SQLException | RuntimeException e) {
                p.failed();
                throw e;
            }
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (Prepared p = prepare(c, sql, params)) {
            try (ResultSet rs = p.statement().executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(row.map(rs));
                return out;
            } catch (SQLException | RuntimeException e) {
                p.failed();
                throw e;
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        List<T> rows = query(c, sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Prepared prepare(Connection c, String sql, Object... params) throws SQLException {
        Prepared p = StatementCache.prepare(c, sql);
        try {
            PreparedStatement ps = p.statement();
            for (int i = 0; i < params.length; i++) {
                Object v = params[i];
                if (v == null) ps.setNull(i + 1, Types.NULL);
                else if (v instanceof Long l) ps.setLong(i + 1, l);
                else if (v instanceof Integer n) ps.setInt(i + 1, n);
                else if (v instanceof Boolean b) ps.setInt(i + 1, b ? 1 : 0);
                else ps.setString(i + 1, v.toString());
            }
            return p;
        } catch (SQLException | RuntimeException e) {
            // SpotBugs OBL_UNSATISFIED_OBLIGATION_EXCEPTION_EDGE: a failed bind must not leak the statement
            p.failed();
            p.close();
            throw e;
        }
    }
}
