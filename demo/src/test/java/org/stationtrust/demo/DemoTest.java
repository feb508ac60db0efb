package org.stationtrust.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole demo end to end with real parts (swtpm, server and agent processes, devices, CTK), then once
 * more right after it in a fresh work directory, as a newcomer trying it twice would.
 */
class DemoTest {
    /** Kept after the run (under target/, cleaned by mvn clean) so that its logs and reports can be read. */
    private static Path work;
    private static DemoResult result;
    private static String printed;
    private static DemoResult second;

    @BeforeAll
    static void runTheDemoTwice() throws Exception {
        work = freshWorkDir("test-");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        result = Demo.run(work, new PrintStream(out, true, StandardCharsets.UTF_8));
        printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        second = Demo.run(freshWorkDir("test-again-"), new PrintStream(again, true, StandardCharsets.UTF_8));
        System.out.println(again.toString(StandardCharsets.UTF_8));
    }

    private static Path freshWorkDir(String prefix) throws Exception {
        return Files.createDirectories(Path.of("target", "demo-runs").toAbsolutePath()
                .resolve(prefix + System.currentTimeMillis()));
    }

    @Test
    void aSecondRunRightAfterTheFirstPassesToo() {
        assertTrue(second.passed(), "second run: " + second.steps().stream().filter(s -> !s.passed())
                .map(s -> s.name() + ": " + s.detail()).toList());
        assertFalse(second.workDir().equals(result.workDir()), "each run has its own work directory");
        assertEquals(List.of(), second.leftoverProcesses());
    }

    @Test
    void everyStepOfTheStoryPassesInOrder() {
        List<String> expected = new ArrayList<>(DemoRun.STEPS);
        expected.add(Demo.NOTHING_LEFT);
        assertEquals(expected, result.steps().stream().map(Story.Step::name).toList());
        for (Story.Step step : result.steps()) {
            assertEquals(Story.Outcome.PASSED, step.outcome(), step.name() + ": " + step.detail());
        }
        assertTrue(result.passed());
    }

    @Test
    void theSummaryListsEveryStepAsPassed() {
        String summary = printed.substring(printed.indexOf("=== summary"));
        for (String step : DemoRun.STEPS) {
            assertTrue(summary.lines().anyMatch(l -> l.strip().startsWith("passed") && l.contains(step)),
                    "summary line for '" + step + "' in:\n" + summary);
        }
    }

    @Test
    void leavesNoProcessRunning() {
        assertEquals(List.of(), result.leftoverProcesses());
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
        assertFalse(Demo.CHILDREN.isEmpty(), "the demo started its server and agent as processes");
        assertTrue(Demo.CHILDREN.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void writesTheCtkHtmlReportsItNames() throws Exception {
        assertEquals(3, result.ctkReports().size(), "one CTK run per simulated device");
        for (Path report : result.ctkReports()) {
            assertTrue(report.startsWith(work), report + " is inside the work directory");
            assertTrue(Files.readString(report).contains("<html"), report + " is an HTML report");
            assertTrue(printed.contains(report.toString()), "the story names " + report);
        }
    }

    @Test
    void neverPrintsThePasswordOrAToken() throws Exception {
        Path password = work.resolve("server").resolve("admin-password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
        String secret = Files.readString(password).strip();
        assertTrue(secret.length() >= 32, "a random password");
        assertFalse(printed.contains(secret), "the admin password is never printed");
        assertFalse(printed.contains("sta_"), "no operator API token is printed");
        assertFalse(printed.contains("ste_"), "no enrollment token is printed");
        assertFalse(printed.contains(Files.readString(work.resolve("agent").resolve("enrollment-token")).strip()));
    }

    @Test
    void measuresTheMemoryOfServerAndAgentWhileTheyRun() {
        assertTrue(result.serverRssKb() > 10_000, "server RSS " + result.serverRssKb() + " KiB");
        assertTrue(result.agentRssKb() > 10_000, "agent RSS " + result.agentRssKb() + " KiB");
    }
}
