package org.stationtrust.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.scanner.testing.Samples;

class BreachScannerTest {
    @TempDir Path dir;
    private final BreachScanner scanner = BreachScanner.withListedSecrets(List.of(Samples.PASSWORD));

    private static final Map<String, Function<byte[], String>> ENCODINGS = Map.of(
            "raw", b -> new String(b, StandardCharsets.ISO_8859_1),
            "hex", b -> HexFormat.of().formatHex(b),
            "HEX", b -> HexFormat.of().withUpperCase().formatHex(b),
            "base64", b -> Base64.getEncoder().encodeToString(b),
            "base64url", Samples::b64url,
            // An SBI capture: bioValue (base64url) inside the JSON payload of a JWS (base64url again).
            "base64url in a JWS payload", b -> Samples.b64url(("{\"bioType\":\"Finger\",\"bioValue\":\"" + Samples.b64url(b) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)),
            "base64 in base64", b -> Base64.getEncoder().encodeToString(Base64.getEncoder().encode(b)));

    private ScanReport scanLog(String content) throws Exception {
        Path log = Files.createTempFile(dir, "service", ".log");
        Files.writeString(log, content, StandardCharsets.ISO_8859_1);
        return scanner.scan(new ScanTargets(List.of(), List.of(), List.of(), List.of(log)));
    }

    private static ScanTargets logs(Path... files) {
        return new ScanTargets(List.of(), List.of(), List.of(), List.of(files));
    }

    @Test
    void findsEveryBiometricSignatureInEveryEncodingAtEveryAlignment() throws Exception {
        List<String> missed = new ArrayList<>();
        int cases = 0;
        for (var sample : Samples.biometric().entrySet()) {
            for (var encoding : ENCODINGS.entrySet()) {
                for (int prefix = 0; prefix < 3; prefix++) {
                    byte[] value = Samples.concat(Samples.random(prefix), sample.getValue().value());
                    String line = "{\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"capture\",\"value\":\"" + encoding.getValue().apply(value) + "\"}\n";
                    ScanReport report = scanLog(line);
                    cases++;
                    if (report.findings().stream().noneMatch(f -> f.kind() == sample.getValue().kind())) {
                        missed.add(sample.getKey() + " as " + encoding.getKey() + " after " + prefix + " bytes");
                    }
                }
            }
        }
        assertEquals(List.of(), missed, "missed of " + cases + " planted values");
    }

    @Test
    void findsEveryTextualSecretAndItsBase64() throws Exception {
        for (var sample : Samples.textual().entrySet()) {
            String value = sample.getValue().value();
            ScanReport plain = scanLog("2026-01-01 INFO request from 127.0.0.1 " + value + " done\n");
            assertTrue(plain.findings().stream().anyMatch(f -> f.kind() == sample.getValue().kind()), sample.getKey() + ": " + plain.render());
        }
        byte[] password = Samples.PASSWORD.getBytes(StandardCharsets.UTF_8);
        for (int prefix = 0; prefix < 3; prefix++) {
            String encoded = Base64.getEncoder().encodeToString(Samples.concat(Samples.random(prefix), password));
            ScanReport report = scanLog("basic " + encoded + "\n");
            assertTrue(report.findings().stream().anyMatch(f -> f.kind() == FindingKind.LISTED_SECRET && f.form().contains("list entry 1")),
                    "base64 password after " + prefix + " bytes: " + report.render());
        }
    }

    @Test
    void findsPlantedDataInEveryCellOfASqliteDatabaseInAStateDirectoryAndInALog() throws Exception {
        Path db = dir.resolve("server.db");
        Path state = Files.createDirectories(dir.resolve("state"));
        Path log = dir.resolve("agent.log");
        StringBuilder logText = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("CREATE TABLE audit_events (id INTEGER PRIMARY KEY, details TEXT, blob BLOB)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_events (details, blob) VALUES (?, ?)")) {
                for (var s : Samples.biometric().values()) {
                    insert.setString(1, "{\"bioValue\":\"" + Samples.b64url(s.value()) + "\"}");
                    insert.setBytes(2, s.value());
                    insert.executeUpdate();
                    Files.write(state.resolve(s.kind().label() + ".bin"), s.value());
                    logText.append("capture ").append(Base64.getEncoder().encodeToString(s.value())).append('\n');
                }
                for (var s : Samples.textual().values()) {
                    insert.setString(1, "{\"note\":\"" + s.value().replace("\n", "\\n") + "\"}");
                    insert.setBytes(2, new byte[] {1, 2, 3});
                    insert.executeUpdate();
                    Files.writeString(state.resolve(s.kind().label() + ".txt"), s.value());
                    logText.append("request ").append(s.value()).append('\n');
                }
            }
        }
        Files.writeString(log, logText);

        ScanReport report = scanner.scan(new ScanTargets(List.of(db), List.of(), List.of(state), List.of(log)));

        for (var s : Samples.biometric().values()) {
            FindingKind k = s.kind();
            assertFound(report, k, "table=audit_events column=details");
            assertFound(report, k, "table=audit_events column=blob");
            assertFound(report, k, state.toString());
            assertFound(report, k, log.toString());
        }
        for (var s : Samples.textual().values()) {
            assertFound(report, s.kind(), "table=audit_events column=details");
            assertFound(report, s.kind(), state.toString());
            assertFound(report, s.kind(), log.toString());
        }
    }

    private static void assertFound(ScanReport report, FindingKind kind, String where) {
        assertTrue(report.findings().stream().anyMatch(f -> f.kind() == kind && f.location().contains(where)),
                "no " + kind + " at " + where + " in\n" + report.render());
    }

    @Test
    void reportsTheExactOffsetOfARawValueAndFindsOneAcrossTheChunkBoundary() throws Exception {
        byte[] jpeg = Samples.jpeg();
        String token = "ste_" + Samples.b64url(Samples.random(32));
        int tokenAt = (1 << 20) - 20; // straddles the first 1 MiB chunk
        int jpegAt = (3 << 20) + 7;
        byte[] file = new byte[4 << 20];
        java.util.Arrays.fill(file, (byte) '.');
        System.arraycopy(token.getBytes(StandardCharsets.US_ASCII), 0, file, tokenAt, token.length());
        System.arraycopy(jpeg, 0, file, jpegAt, jpeg.length);
        Path f = dir.resolve("big.log");
        Files.write(f, file);

        ScanReport report = scanner.scan(logs(f));

        assertEquals(List.of(FindingKind.ENROLLMENT_TOKEN + "@" + tokenAt, FindingKind.JPEG_IMAGE + "@" + jpegAt),
                report.findings().stream().map(x -> x.kind() + "@" + x.offset()).sorted().collect(Collectors.toList()), report.render());
        assertEquals(file.length, report.bytesScanned());
    }

    @Test
    void decompressesGzippedLogs() throws Exception {
        Path gz = dir.resolve("server.log.1.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(("token sta_" + Samples.b64url(Samples.random(32)) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        ScanReport report = scanner.scan(logs(gz));
        assertEquals(List.of(FindingKind.OPERATOR_API_TOKEN), report.findings().stream().map(Finding::kind).toList());
        assertTrue(report.findings().get(0).location().endsWith("(gunzipped)"));
    }

    @Test
    void doesNotFollowALinkPlantedInAStateDirectory() throws Exception {
        Path outside = Files.writeString(dir.resolve("elsewhere.txt"), "sta_" + Samples.b64url(Samples.random(32)));
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("station.json"), "{\"machineId\":\"0123456789abcdef0123456789abcdef\"}");
        Files.createSymbolicLink(state.resolve("link"), outside);
        Files.createSymbolicLink(state.resolve("up"), dir);
        Files.writeString(state.resolve("api-token"), "Bearer " + Samples.b64url(Samples.random(32)));

        ScanReport report = scanner.scan(new ScanTargets(List.of(), List.of(), List.of(state), List.of(), List.of("api-token")));

        assertTrue(report.clean(), report.render());
        assertEquals(1, report.sources());
        assertEquals(3, report.skipped().size(), report.render());
        assertTrue(report.render().contains("SKIPPED excluded by name: " + state.resolve("api-token")), report.render());
        assertTrue(report.render().contains("SKIPPED symbolic link (not followed): " + state.resolve("link")));
    }

    @Test
    void refusesAMissingSourceAndATooShortListedValueWithAReason() {
        ScanFailed missing = assertThrows(ScanFailed.class, () -> scanner.scan(logs(dir.resolve("nope.log"))));
        assertTrue(missing.getMessage().contains("nope.log") && missing.getMessage().contains("found nothing"), missing.getMessage());
        IllegalArgumentException shortValue = assertThrows(IllegalArgumentException.class,
                () -> BreachScanner.withListedSecrets(List.of("12345678", "abc")));
        assertTrue(shortValue.getMessage().contains("#2"), shortValue.getMessage());
        assertFalse(shortValue.getMessage().contains("abc"), "the message must not repeat the value");
        assertThrows(IllegalArgumentException.class, () -> new ScanTargets(List.of(), List.of(), List.of(), List.of()));
        IllegalArgumentException traversal = assertThrows(IllegalArgumentException.class,
                () -> new ScanTargets(List.of(), List.of(), List.of(dir), List.of(), List.of("../etc")));
        assertTrue(traversal.getMessage().contains("plain file name"), traversal.getMessage());
    }
}
