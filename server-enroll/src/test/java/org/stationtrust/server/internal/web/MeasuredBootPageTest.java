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
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.testing.SoftwareStation;
import org.stationtrust.server.internal.testing.StationClient;
import org.stationtrust.server.internal.testing.TestServer;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** A machine's page in a real headless Chromium shows its boot verdict, the rule, the changes and the boot state. */
class MeasuredBootPageTest {
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

    private String quote(SoftwareStation s, String id, SyntheticEventLog log) {
        s.pcrs().clear();
        s.pcrs().putAll(log.pcrs(HashAlgorithm.SHA256));
        String nonce = TestServer.json(server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                StationClient.jcaSigner(s.machineKey()))).path("nonce").asText();
        byte[][] q = s.quote(java.util.Base64.getDecoder().decode(nonce));
        var body = TestServer.JSON.createObjectNode();
        body.put("nonce", nonce);
        body.put("attest", java.util.Base64.getEncoder().encodeToString(q[0]));
        body.put("signature", java.util.Base64.getEncoder().encodeToString(q[1]));
        s.pcrsWire().forEach(body.putObject("pcrs")::put);
        body.put("eventLog", java.util.Base64.getEncoder().encodeToString(log.bytes()));
        return server.stations.send("POST", "/api/v1/attestation/quotes", body.toString(), id,
                StationClient.jcaSigner(s.machineKey())).body();
    }

    @Test
    void theMachinePageShowsTheBootVerdictItsChangesAndTheBootState() throws Exception {
        assertEquals(200, server.as(Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/fleet", "{\"name\": \"fleet\"}")
                .statusCode());
        assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/boot-policies/fleet/make-default",
                "{\"reason\": \"fleet\"}").statusCode());
        SyntheticBoot boot = SyntheticBoot.typical();
        SoftwareStation s = new SoftwareStation();
        s.pcrs().clear();
        s.pcrs().putAll(boot.log(HashAlgorithm.SHA256).pcrs(HashAlgorithm.SHA256));
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        quote(s, id, boot.log(HashAlgorithm.SHA256));
        String answer = quote(s, id, boot.firmware("StationBIOS 1.01",
                "image 1.01".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).log(HashAlgorithm.SHA256));
        assertTrue(answer.contains("PASSED_CHANGED"), answer);

        browser.get(server.url("/admin/login"));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
        submitAndWaitForNextPage(By.id("login"));
        browser.get(server.url("/admin/machines/" + id));
        assertEquals("fleet (default)", browser.findElement(By.id("boot-policy")).getText());
        assertEquals("PASSED_CHANGED", browser.findElement(By.id("boot-result")).getText());
        assertTrue(browser.findElement(By.id("boot-changes")).getText().contains("firmware version: + StationBIOS 1.01"));
        assertEquals("ON", browser.findElement(By.id("boot-secure-boot")).getText());
        assertTrue(browser.findElement(By.id("boot-authorities")).getText().contains("CN=Station UEFI CA 2023"));
    }
}
