package org.stationtrust.scanner;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to scan: SQLite files (raw bytes, their -wal/-journal files, and every cell), databases reachable by
 * JDBC (every cell), directories (every regular file, recursively, SQLite files also cell by cell) and logs.
 * {@code excludedFileNames} are file names skipped inside directories, for secrets stored there by design
 * (the agent's {@code api-token}); each skip is listed in the report.
 */
public record ScanTargets(List<Path> sqliteFiles, List<Database> databases, List<Path> directories, List<Path> logs,
                          List<String> excludedFileNames) {
    public ScanTargets {
        excludedFileNames = List.copyOf(excludedFileNames);
        for (String name : excludedFileNames) {
            if (name.isEmpty() || name.contains("/") || name.equals("..") || name.equals(".")) {
                throw new IllegalArgumentException("--exclude takes a plain file name (no '/'), saw '" + name + "'");
            }
        }
        sqliteFiles = List.copyOf(sqliteFiles);
        databases = List.copyOf(databases);
        directories = List.copyOf(directories);
        logs = List.copyOf(logs);
        if (sqliteFiles.isEmpty() && databases.isEmpty() && directories.isEmpty() && logs.isEmpty()) {
            throw new IllegalArgumentException("nothing to scan: give at least one --sqlite, --jdbc, --dir or --log");
        }
    }

    /** Targets without exclusions. */
    public ScanTargets(List<Path> sqliteFiles, List<Database> databases, List<Path> directories, List<Path> logs) {
        this(sqliteFiles, databases, directories, logs, List.of());
    }

    /** A JDBC database; the password never prints. */
    public record Database(String jdbcUrl, Optional<String> user, Optional<String> password) {
        public Database {
            Objects.requireNonNull(jdbcUrl);
            Objects.requireNonNull(user);
            Objects.requireNonNull(password);
            if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("expected a jdbc:sqlite: or jdbc:postgresql: URL, got a URL starting with '"
                        + jdbcUrl.substring(0, Math.min(16, jdbcUrl.length())) + "'");
            }
        }

        /** The URL without its query string, which may carry credentials. */
        public String label() {
            int q = jdbcUrl.indexOf('?');
            return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        }

        @Override
        public String toString() {
            return "Database[" + label() + ", user=" + user.orElse("-") + ", password=" + (password.isPresent() ? "[redacted]" : "-") + "]";
        }
    }
}
