package org.stationtrust.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.sqlite.SQLiteConfig;
import org.stationtrust.scanner.internal.ContentScanner;
import org.stationtrust.scanner.internal.DatabaseWalker;
import org.stationtrust.scanner.internal.EncodedForms;
import org.stationtrust.scanner.internal.MaskedPattern;

/**
 * Searches stored data for biometric values and secrets in plaintext (see the module README for what is and
 * is not detected). Read-only: SQLite files are opened read-only after their raw bytes were scanned.
 */
public final class BreachScanner {
    /** Shorter listed values would match by chance in ordinary text. */
    public static final int MIN_LISTED_SECRET_LENGTH = 8;
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private final ContentScanner content;
    private final DatabaseWalker databases;

    private BreachScanner(List<MaskedPattern> listed) {
        this.content = new ContentScanner(listed);
        this.databases = new DatabaseWalker(content);
    }

    /**
     * A scanner that also searches for each listed value (passwords, names, identifiers), raw, hex and
     * base64; findings name the entry by its position in the list, never its value.
     */
    public static BreachScanner withListedSecrets(List<String> values) {
        List<MaskedPattern> listed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v.length() < MIN_LISTED_SECRET_LENGTH) {
                throw new IllegalArgumentException("listed value #" + (i + 1) + " has " + v.length() + " characters; at least "
                        + MIN_LISTED_SECRET_LENGTH + " are needed to search it without false findings: remove or lengthen it");
            }
            MaskedPattern raw = MaskedPattern.exact(FindingKind.LISTED_SECRET, v.getBytes(StandardCharsets.UTF_8), "list entry " + (i + 1));
            listed.addAll(EncodedForms.of(raw, false));
        }
        return new BreachScanner(listed);
    }

    public ScanReport scan(ScanTargets targets) throws ScanFailed {
        Run run = new Run();
        for (Path f : targets.sqliteFiles()) {
            requireRegularFile(f, "--sqlite");
            scanSqliteFile(f, run);
        }
        for (ScanTargets.Database db : targets.databases()) scanDatabase(db, run);
        for (Path d : targets.directories()) scanDirectory(d, targets.excludedFileNames(), run);
        for (Path log : targets.logs()) {
            requireRegularFile(log, "--log");
            scanFile(log, run);
        }
        // base64 and base64url agree wherever neither '+/' nor '-_' occurs: report such a place once.
        Map<String, Finding> distinct = new LinkedHashMap<>();
        for (Finding f : run.findings) distinct.putIfAbsent(f.location() + '\0' + f.kind() + '\0' + f.offset(), f);
        return new ScanReport(new ArrayList<>(distinct.values()), run.sources, run.bytes, run.cells, run.skipped);
    }

    /** Accumulates one scan's results. */
    private static final class Run {
        final List<Finding> findings = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        int sources;
        long bytes;
        long cells;
    }

    private static void requireRegularFile(Path f, String option) throws ScanFailed {
        if (!Files.isRegularFile(f)) {
            throw new ScanFailed(option + " " + f + ": expected a readable regular file, found " + (Files.exists(f) ? "something else" : "nothing")
                    + "; check the path");
        }
    }

    private void scanFile(Path f, Run run) throws ScanFailed {
        boolean gzip = f.getFileName().toString().endsWith(".gz");
        try (InputStream raw = Files.newInputStream(f); InputStream in = gzip ? new GZIPInputStream(raw, 65536) : raw) {
            run.bytes += content.scan(in, f.toString() + (gzip ? " (gunzipped)" : ""), run.findings::add);
            run.sources++;
        } catch (IOException e) {
            throw new ScanFailed("cannot read " + f + ": " + e.getMessage() + "; run the scanner as a user that can read it", e);
        }
    }

    private void scanSqliteFile(Path f, Run run) throws ScanFailed {
        scanFile(f, run);
        for (String suffix : List.of("-wal", "-journal")) {
            Path side = f.resolveSibling(f.getFileName() + suffix);
            if (Files.isRegularFile(side)) scanFile(side, run);
        }
        scanSqliteCells(f, run);
    }

    private void scanDatabase(ScanTargets.Database target, Run run) throws ScanFailed {
        Properties props = new Properties();
        target.user().ifPresent(u -> props.setProperty("user", u));
        target.password().ifPresent(p -> props.setProperty("password", p));
        try (Connection db = DriverManager.getConnection(target.jdbcUrl(), props)) {
            db.setReadOnly(true);
            db.setAutoCommit(false); // PostgreSQL streams rows with a fetch size only inside a transaction
            run.cells += databases.scan(db, target.label(), run.findings::add);
            db.rollback();
            run.sources++;
        } catch (SQLException e) {
            throw new ScanFailed("cannot read the database " + target.label() + ": " + e.getMessage()
                    + "; check the URL, the user and BREACH_SCANNER_DB_PASSWORD", e);
        }
    }

    private void scanDirectory(Path dir, List<String> excluded, Run run) throws ScanFailed {
        if (!Files.isDirectory(dir)) throw new ScanFailed("--dir " + dir + ": expected a directory, found " + (Files.exists(dir) ? "a file" : "nothing"));
        List<Path> files = new ArrayList<>();
        try {
            // Links are not followed: a link planted in a state directory must not make the scan read elsewhere.
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (excluded.contains(file.getFileName().toString())) {
                        run.skipped.add("excluded by name: " + file);
                    } else if (attrs.isRegularFile()) {
                        files.add(file);
                    } else {
                        run.skipped.add((attrs.isSymbolicLink() ? "symbolic link (not followed): " : "not a regular file: ") + file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ScanFailed("cannot walk " + dir + ": " + e.getMessage(), e);
        }
        files.sort(null);
        for (Path f : files) {
            if (isSqlite(f)) {
                scanSqliteCells(f, run);
            }
            scanFile(f, run);
        }
    }

    /** In a directory the -wal/-journal files are visited on their own; only the cells are added here. */
    private void scanSqliteCells(Path f, Run run) throws ScanFailed {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + f, config.toProperties())) {
            run.cells += databases.scan(db, f.toString(), run.findings::add);
        } catch (SQLException e) {
            throw new ScanFailed("cannot read the SQLite database " + f + " cell by cell: " + e.getMessage(), e);
        }
    }

    private static boolean isSqlite(Path f) throws ScanFailed {
        try (InputStream in = Files.newInputStream(f)) {
            return Arrays.equals(in.readNBytes(SQLITE_HEADER.length), SQLITE_HEADER);
        } catch (IOException e) {
            throw new ScanFailed("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
