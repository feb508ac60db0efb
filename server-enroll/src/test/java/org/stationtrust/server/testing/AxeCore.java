package org.stationtrust.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Deque's axe-core (npm, pinned in src/test/axe/package.json), installed with npm under target/axe on first use
 * and injected into the page Chromium shows: the accessibility check of the console pages is a tool nobody here
 * wrote. Injection goes through WebDriver, which the page's CSP does not govern; the pages themselves load no
 * script.
 */
public final class AxeCore {
    private static final Path HOME = Path.of("target", "axe");
    private static final Path SCRIPT = HOME.resolve("node_modules/axe-core/axe.min.js");
    private static String source;

    private AxeCore() {
    }

    /** axe.min.js, installed by npm from the pinned package.json when target/axe does not hold it yet. */
    public static synchronized String source() throws IOException, InterruptedException {
        if (source != null) return source;
        if (!Files.isRegularFile(SCRIPT)) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/npm")),
                    "needs npm to install axe-core: apt-get install -y npm (scripts/setup test does)");
            Files.createDirectories(HOME);
            Files.copy(Path.of("src/test/axe/package.json"), HOME.resolve("package.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(HOME.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isRegularFile(SCRIPT)) {
                throw new IllegalStateException("npm install of axe-core failed in " + HOME.toAbsolutePath() + ": " + out);
            }
        }
        source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        return source;
    }

    /**
     * Runs axe on the page the browser shows (WCAG 2.x A/AA rules and axe's best practices) and answers the
     * violations of serious or critical impact, one line each with the rule, its help text and where.
     */
    public static List<String> seriousViolations(WebDriver browser) throws IOException, InterruptedException {
        return run(browser, "{resultTypes: ['violations']}", "v.impact === 'serious' || v.impact === 'critical'");
    }

    /**
     * Runs only the named axe rules (for rules axe leaves off by default, such as {@code color-contrast-enhanced},
     * WCAG 1.4.6 AAA) and answers every violation whatever its impact.
     */
    public static List<String> violationsOf(WebDriver browser, List<String> rules) throws IOException,
            InterruptedException {
        StringBuilder ids = new StringBuilder();
        for (String r : rules) {
            if (!r.matches("[a-z0-9-]+")) throw new IllegalArgumentException("not an axe rule id: " + r);
            ids.append(ids.length() == 0 ? "" : ", ").append('\'').append(r).append('\'');
        }
        return run(browser, "{resultTypes: ['violations'], runOnly: {type: 'rule', values: [" + ids + "]}}", "true");
    }

    @SuppressWarnings("unchecked")
    private static List<String> run(WebDriver browser, String options, String keep) throws IOException,
            InterruptedException {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        js.executeScript(source());
        Object answer = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, " + options + ").then(r => done(r.violations"
                + ".filter(v => " + keep + ")"
                + ".map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3)"
                + ".map(n => n.target.join(' ')).join(' | ')))).catch(e => done(['axe failed: ' + e]));");
        return (List<String>) answer;
    }

    /** The axe-core version the page ran (axe.version), for the test's report. */
    public static String version(WebDriver browser) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript("return axe.version;"));
    }
}
