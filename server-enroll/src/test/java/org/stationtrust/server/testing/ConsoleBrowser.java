package org.stationtrust.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.testsupport.HeadlessChromium;

/**
 * The console's browser tests' one set-up: per test, a real server on a fresh SQLite database (configured as the
 * test class asks) and the JVM's one headless Chromium, wiped of the previous test's cookies, cache and emulation.
 * Register it as an instance field with {@code @RegisterExtension}; its callbacks run before the class's own
 * {@code @BeforeEach}, so that can read {@link #server()} and {@link #browser()}.
 */
public final class ConsoleBrowser implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConsoleBrowser.class);

    private final UnaryOperator<ServerConfig.Builder> config;
    private Path dir;
    private TestServer server;
    private WebDriver browser;

    /** The server as {@link TestServer#start(Path)} configures it. */
    public ConsoleBrowser() {
        this(b -> b);
    }

    /** The server with {@code config} applied on top of {@link TestServer}'s defaults. */
    public ConsoleBrowser(UnaryOperator<ServerConfig.Builder> config) {
        this.config = config;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        // The browser first: where Chromium is missing the test is skipped before a server is started for nothing.
        browser = sharedChromium(context).cleanBrowser();
        dir = Files.createTempDirectory("console-browser");
        server = TestServer.start(dir.resolve("db"), config);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (server != null) server.close();
        } finally {
            server = null;
            browser = null;
            deleteTree(dir);
        }
    }

    /**
     * The JVM's one Chromium, kept in JUnit's root store (the sanctioned place for a resource shared across test
     * classes; JUnit closes it, quitting Chromium and chromedriver, when the run ends). Starting Chromium costs about
     * a second and a half, and the four console classes have twenty-odd tests.
     */
    private static SharedChromium sharedChromium(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(SharedChromium.class, k -> new SharedChromium(), SharedChromium.class);
    }

    public TestServer server() {
        return server;
    }

    public WebDriver browser() {
        return browser;
    }

    /** Signs the operator of {@code role} in on the login page and checks the console greets them. */
    public void signIn(Role role) {
        String user = role.name().toLowerCase(Locale.ROOT);
        browser.get(server.url("/admin/login"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
        submit(By.id("login"));
        assertEquals(user, browser.findElement(By.id("who")).getText());
    }

    /** Clicks a form's button and waits for the page the POST redirects to. */
    public void submit(By button) {
        HeadlessChromium.submitAndWaitForNextPage(browser, button);
    }

    /** Elements matching now, without the implicit wait (which would wait out its timeout for an absent one). */
    public List<WebElement> now(By by) {
        return HeadlessChromium.present(browser, by);
    }

    /** The body rows of a table, once the page holding the table has loaded. */
    public List<WebElement> rows(String table) {
        browser.findElement(By.id(table));
        return now(By.cssSelector("#" + table + " tbody tr"));
    }

    /** The page area itself (not the window around it) at this size, as on a screen of that resolution. */
    public void viewport(int width, int height) {
        SharedChromium.cdp(browser, "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the test's directory " + root, e);
        }
    }
}
