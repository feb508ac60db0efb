package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.testing.SoftwareStation;
import org.stationtrust.server.internal.testing.TestServer;

/** The admin page in a real headless Chromium: log in, approve a pending enrollment, see it active. */
class AdminPageBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path dir;
    TestServer server;
    WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "needs Debian chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        server = TestServer.start(dir.resolve("db"));
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    /**
     * Every admin form is a full-page POST followed by a redirect. Reading the next page's fields right after the
     * click can race the navigation and hit the old page's elements, so wait until the old document is gone.
     */
    private void submitAndWaitForNextPage(By button) {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        browser.findElement(button).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(oldPage));
    }

    @Test
    void anAdminLogsInApprovesAPendingEnrollmentAndSeesItActive() {
        String machineId = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);

        browser.get(server.url("/admin"));
        assertTrue(browser.getCurrentUrl().endsWith("/admin/login"), "anonymous visitors are sent to the login");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("not the password");
        submitAndWaitForNextPage(By.id("login"));
        assertTrue(browser.findElement(By.id("login-error")).getText().contains("Wrong"));

        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
        submitAndWaitForNextPage(By.id("login"));
        assertEquals("admin", browser.findElement(By.id("who")).getText());

        var row = browser.findElement(By.cssSelector("tr.enrollment[data-machine='" + machineId + "']"));
        assertTrue(row.getText().contains("EK unverified"), row.getText());
        assertTrue(row.getText().contains("PCR 0"), "the first quote's PCRs are shown: " + row.getText());
        browser.findElement(By.id("approve-" + machineId + "-reason")).sendKeys("asset tag 4711, checked by phone");
        submitAndWaitForNextPage(By.id("approve-" + machineId));

        assertEquals("ACTIVE", browser.findElement(By.id("f-state")).getText());
        assertEquals("admin", browser.findElement(By.id("f-decidedBy")).getText());
        assertEquals(EnrollmentState.ACTIVE, server.state(machineId));

        browser.findElement(By.id("golden-pcrs")).sendKeys("7=" + "ab".repeat(32));
        browser.findElement(By.id("golden-reason")).sendKeys("new secure boot database");
        submitAndWaitForNextPage(By.id("set-golden"));
        assertEquals("golden", browser.findElement(By.id("f-policy")).getText());

        browser.get(server.url("/admin/machines"));
        var machineRow = browser.findElement(By.cssSelector("#machines tr[data-machine='" + machineId + "']"));
        assertEquals("ACTIVE", machineRow.findElement(By.className("state")).getText());
        assertEquals("NONE", machineRow.findElements(By.tagName("td")).get(2).getText(),
                "approved but not yet attested: visible on the page");

        browser.get(server.url("/admin/audit"));
        assertTrue(browser.findElement(By.id("chain")).getText().contains("intact"));
        assertTrue(browser.findElement(By.id("audit")).getText().contains("enrollment.approve"));
    }
}
