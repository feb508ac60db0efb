package org.stationtrust.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stationtrust.scanner.testing.Samples;
import org.stationtrust.testsupport.TestPostgres;

/** The JDBC path on PostgreSQL: text, bytea, jsonb and array columns in two schemas; clean rows stay clean. */
class PostgresScanTest {

    @Test
    void findsPlantedValuesInEveryColumnTypeAndSchemaOfAPostgresDatabase() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL is not installed (apt-get install -y postgresql)");
        try (TestPostgres pg = TestPostgres.start()) {
            String url = pg.url("postgres");
            byte[] face = Samples.record("FAC\0" + "030\0");
            String token = "ste_" + Samples.b64url(Samples.random(32));
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA audit");
                s.execute("CREATE TABLE public.machines (id SERIAL PRIMARY KEY, note TEXT, photo BYTEA, extra JSONB, tags TEXT[], n INTEGER)");
                s.execute("CREATE TABLE audit.events (seq BIGINT PRIMARY KEY, detail VARCHAR(2000))");
                try (PreparedStatement p = c.prepareStatement("INSERT INTO public.machines (note, photo, extra, tags, n) VALUES (?, ?, ?::jsonb, ?, 7)")) {
                    p.setString(1, "clean note");
                    p.setBytes(2, Samples.random(300));
                    p.setString(3, "{\"ok\": true}");
                    p.setArray(4, c.createArrayOf("text", new String[] {"a", "b"}));
                    p.executeUpdate();
                    p.setString(1, "still clean");
                    p.setBytes(2, face);
                    p.setString(3, "{\"bioValue\": \"" + Base64.getEncoder().encodeToString(face) + "\"}");
                    p.setArray(4, c.createArrayOf("text", new String[] {"x", Samples.PASSWORD}));
                    p.executeUpdate();
                }
                s.execute("INSERT INTO audit.events VALUES (1, 'token issued: " + token + "')");
            }

            ScanReport report = BreachScanner.withListedSecrets(List.of(Samples.PASSWORD)).scan(new ScanTargets(List.of(),
                    List.of(new ScanTargets.Database(url, Optional.of("postgres"), Optional.empty())), List.of(), List.of()));

            assertTrue(report.findings().stream().anyMatch(f -> f.kind() == FindingKind.ISO_19794_5_FACE
                    && f.location().contains("table=public.machines column=photo row=2")), report.render());
            assertTrue(report.findings().stream().anyMatch(f -> f.kind() == FindingKind.ISO_19794_5_FACE
                    && f.location().contains("column=extra row=2")), report.render());
            assertTrue(report.findings().stream().anyMatch(f -> f.kind() == FindingKind.LISTED_SECRET
                    && f.location().contains("column=tags row=2")), report.render());
            assertTrue(report.findings().stream().anyMatch(f -> f.kind() == FindingKind.ENROLLMENT_TOKEN
                    && f.location().contains("table=audit.events column=detail row=1")), report.render());
            assertTrue(report.findings().stream().noneMatch(f -> f.location().contains("row=1") && f.location().contains("machines")),
                    "the clean row gives nothing: " + report.render());
            assertEquals(4, report.findings().stream().map(f -> f.location()).distinct().count(), report.render());
            assertTrue(report.render().contains(url), "the report names the database");
            assertTrue(!report.render().contains(token.substring(4)), "the report never carries the value");
        }
    }
}
