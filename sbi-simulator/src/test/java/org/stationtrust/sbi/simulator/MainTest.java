package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line parses its documented options and refuses bad ones before starting anything. */
class MainTest {
    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void helpListsTheFaultModesAndExitsZero() {
        CommandLine cli = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        assertTrue(out.toString().contains("--fault"));
        assertTrue(out.toString().contains("BROKEN_HASH_CHAIN"));
    }

    @Test
    void unknownFaultModeIsAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--fault", "SOMETIMES_WRONG"));
        assertTrue(err.toString().contains("--fault"), err.toString());
    }

    @Test
    void caPkcs12WithoutAPasswordIsRefusedWithAHint() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--ca-p12", "/nonexistent/ca.p12", "--port", "0"));
        assertTrue(err.toString().contains("SBI_SIM_CA_PASSWORD") || err.toString().contains("password"), err.toString());
    }
}
