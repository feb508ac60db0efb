package org.stationtrust.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chromium.HasCdp;
import org.stationtrust.testsupport.HeadlessChromium;

/**
 * One headless Chromium reused by test after test (see {@link ConsoleBrowser}). Before each test it is brought back
 * to a fresh browser's state as far as the console can tell: every server of a run listens on 127.0.0.1, and
 * cookies ignore the port, so a session or sign-in cookie of the last test would otherwise reach the next server.
 * A browser that no longer answers (a crash in an earlier test) is replaced rather than failing every test after it.
 */
final class SharedChromium implements AutoCloseable {
    private Path profile;
    private WebDriver browser;

    /** The browser, started on first use, with nothing left of the previous test. */
    WebDriver cleanBrowser() throws IOException {
        if (browser != null && !answers(browser)) {
            try {
                quit();
            } catch (WebDriverException e) {
                // It stopped answering already: its quit failing too is expected, and a fresh one follows.
                System.err.println("shared Chromium stopped answering and could not be quit: " + e.getMessage());
            }
        }
        if (browser == null) {
            profile = Files.createTempDirectory("shared-chromium");
            try {
                browser = HeadlessChromium.start(profile);
            } finally {
                if (browser == null) quit(); // skipped (no Chromium here) or failed: no empty profile left behind
            }
        }
        List<String> windows = List.copyOf(browser.getWindowHandles());
        for (String extra : windows.subList(1, windows.size())) browser.switchTo().window(extra).close();
        browser.switchTo().window(windows.get(0));
        browser.get("about:blank");
        cdp(browser, "Network.clearBrowserCookies", Map.of());
        cdp(browser, "Network.clearBrowserCache", Map.of());
        cdp(browser, "Emulation.clearDeviceMetricsOverride", Map.of());
        // Media features the console tests emulate (forced colours, contrast), each set back to the real value.
        cdp(browser, "Emulation.setEmulatedMedia", Map.of("media", "", "features", List.of(
                Map.of("name", "forced-colors", "value", ""), Map.of("name", "prefers-contrast", "value", ""))));
        return browser;
    }

    private static boolean answers(WebDriver browser) {
        try {
            return !browser.getWindowHandles().isEmpty(); // a session with its last window closed is of no use
        } catch (WebDriverException e) {
            return false;
        }
    }

    /** A DevTools protocol command, for what WebDriver itself cannot do (all cookies of all hosts, emulation). */
    static Map<String, Object> cdp(WebDriver browser, String command, Map<String, Object> parameters) {
        return ((HasCdp) browser).executeCdpCommand(command, parameters);
    }

    private void quit() {
        try {
            if (browser != null) browser.quit();
        } finally {
            browser = null;
            ConsoleBrowser.deleteTree(profile);
            profile = null;
        }
    }

    /** Called by JUnit when the root store closes at the end of the run. */
    @Override
    public void close() {
        quit();
    }
}
