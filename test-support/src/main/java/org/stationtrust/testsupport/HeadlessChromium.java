package org.stationtrust.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through chromedriver: the one browser set-up of every page test (server-enroll's
 * admin pages, ctk-harness's HTML report). The
 * background-networking flags keep it from calling out of a machine with no network; its profile lives in the
 * test's own directory.
 */
public final class HeadlessChromium {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** How long a lookup waits for an element to appear (pages that fill in after loading). */
    private static final Duration IMPLICIT_WAIT = Duration.ofSeconds(15);

    private HeadlessChromium() {
    }

    /** A browser with a fresh profile under {@code dir}; the test is skipped (with the fix) where Chromium is missing. */
    public static WebDriver start(Path dir) throws IOException {
        assumeTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "needs Debian chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
        return browser;
    }

    /**
     * The elements matching now, on a page that has finished loading, without the implicit wait: a lookup expected to
     * find nothing would otherwise wait out the whole {@link #IMPLICIT_WAIT} before answering the empty list.
     */
    public static java.util.List<WebElement> present(WebDriver browser, By by) {
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return browser.findElements(by);
        } finally {
            browser.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
        }
    }

    /**
     * Every admin form is a full-page POST followed by a redirect. Reading the next page's fields right after the
     * click can race the navigation and hit the old page's elements, so wait until the old document is gone.
     */
    public static void submitAndWaitForNextPage(WebDriver browser, By button) {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        browser.findElement(button).click();
        new WebDriverWait(browser, IMPLICIT_WAIT).until(b -> gone(oldPage));
    }

    /**
     * True once the element's document is gone. Mid-navigation Chromium may answer "Node with given id does not
     * belong to the document" (an unknown error, not a stale-element one) for the same condition.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return true;
            throw e;
        }
    }
}
