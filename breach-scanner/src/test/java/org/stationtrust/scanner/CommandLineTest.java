package org.stationtrust.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.scanner.testing.Samples;

class CommandLineTest {
    @TempDir Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void exitsOneWithAReportThatNamesPlaceKindAndOffsetButNeverTheValue() throws Exception {
        String token = "sta_" + Samples.b64url(Samples.random(32));
        String pem = Samples.pemPrivateKey();
        Path log = Files.writeString(dir.resolve("server.log"), "token=" + token + "\n" + Samples.PASSWORD + "\n" + pem);
        Path db = dir.resolve("server.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("CREATE TABLE users (name TEXT, note TEXT)");
            c.createStatement().execute("INSERT INTO users VALUES ('alice', '" + Base64.getEncoder().encodeToString(Samples.PASSWORD.getBytes(StandardCharsets.UTF_8)) + "')");
        }

        Result r = run(Map.of("BREACH_SCANNER_SECRETS", Samples.PASSWORD), "scan", "--log", log.toString(), "--sqlite", db.toString());

        assertEquals(Main.FOUND, r.code(), r.err());
        assertTrue(r.out().contains("FINDING kind=operator-api-token form=text offset=6 location=" + log), r.out());
        assertTrue(r.out().contains("kind=listed-secret form=base64_(alignment_0),_list_entry_1 offset=0 location=" + db + " table=users column=note row=1"), r.out());
        assertTrue(r.out().contains("kind=pem-private-key"), r.out());
        String body = pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        for (String secret : new String[] {token, token.substring(4, 20), Samples.PASSWORD, body}) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), "the report repeats a secret");
        }
    }

    @Test
    void exitsZeroOnCleanDataAndTwoOnAMissingSourceOrNoSource() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("station.json"), "{\"machineId\":\"ab\",\"phase\":\"ACTIVE\"}");
        Result clean = run(Map.of(), "scan", "--dir", state.toString());
        assertEquals(Main.CLEAN, clean.code(), clean.out() + clean.err());
        assertTrue(clean.out().contains("0 findings in 1 sources"), clean.out());

        Result missing = run(Map.of(), "scan", "--log", dir.resolve("absent.log").toString());
        assertEquals(Main.FAILED, missing.code());
        assertTrue(missing.err().contains("absent.log: expected a readable regular file, found nothing"), missing.err());

        Result none = run(Map.of(), "scan");
        assertEquals(Main.FAILED, none.code());
        assertTrue(none.err().contains("nothing to scan"), none.err());

        Result badUrl = run(Map.of(), "scan", "--jdbc", "jdbc:mysql://x/y");
        assertEquals(Main.FAILED, badUrl.code());
        assertTrue(badUrl.err().contains("jdbc:postgresql:"), badUrl.err());
    }

    @Test
    void readsListedSecretsFromAFileNamedInTheEnvironment() throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets.txt"), "\nnot-in-the-log-1\n" + Samples.PASSWORD + "\n");
        Path log = Files.writeString(dir.resolve("a.log"), "login ok for " + Samples.PASSWORD);
        Result r = run(Map.of("BREACH_SCANNER_SECRETS_FILE", secrets.toString()), "scan", "--log", log.toString());
        assertEquals(Main.FOUND, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("list_entry_2"), r.out());
    }
}
