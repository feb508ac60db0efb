package org.stationtrust.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.stationtrust.testsupport.HeadlessChromium;

/** The Chromium that browser tests share is handed to each test as a fresh one would be: signed out, unemulated. */
class SharedChromiumTest {
    @TempDir
    Path dir;

    @Test
    void theNextTestGetsTheSameChromiumWithoutTheLastTestsSessionCookiesOrEmulation() throws Exception {
        try (SharedChromium shared = new SharedChromium(); TestServer server = TestServer.start(dir.resolve("db"))) {
            WebDriver browser = shared.cleanBrowser();
            browser.get(server.url("/admin/login"));
            browser.findElement(By.id("username")).sendKeys("admin");
            browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
            HeadlessChromium.submitAndWaitForNextPage(browser, By.id("login"));
            assertEquals("admin", browser.findElement(By.id("who")).getText());
            assertFalse(cookies(browser).isEmpty(), "signed in, the browser holds the server's cookies");
            SharedChromium.cdp(browser, "Emulation.setDeviceMetricsOverride",
                    Map.of("width", 500, "height", 400, "deviceScaleFactor", 1, "mobile", false));
            SharedChromium.cdp(browser, "Emulation.setEmulatedMedia",
                    Map.of("media", "", "features", List.of(Map.of("name", "forced-colors", "value", "active"))));
            assertEquals(400L, script(browser, "return window.innerHeight;"));
            assertEquals(Boolean.TRUE, script(browser, "return matchMedia('(forced-colors: active)').matches;"));

            WebDriver next = shared.cleanBrowser();
            assertSame(browser, next, "the same Chromium, not a new one");
            // names only in the message: the values are session tokens, and test output is scanned for secrets
            assertEquals(List.of(), cookies(next).stream().map(c -> ((Map<?, ?>) c).get("name")).toList(),
                    "no cookie of any host is left");
            next.get(server.url("/admin"));
            assertTrue(next.getCurrentUrl().endsWith("/admin/login"),
                    "signed out on the very server it was signed in to");
            assertFalse(Long.valueOf(400L).equals(script(next, "return window.innerHeight;")),
                    "the page size is the window's again");
            assertEquals(Boolean.FALSE, script(next, "return matchMedia('(forced-colors: active)').matches;"));
        }
    }

    private static List<?> cookies(WebDriver browser) {
        return (List<?>) SharedChromium.cdp(browser, "Storage.getCookies", Map.of()).get("cookies");
    }

    private static Object script(WebDriver browser, String source) {
        return ((JavascriptExecutor) browser).executeScript(source);
    }
}
