package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.ConsoleBrowser;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/** The admin page in a real headless Chromium: log in, approve a pending enrollment, see it active. */
class AdminPageBrowserTest {
    @RegisterExtension
    final ConsoleBrowser console = new ConsoleBrowser();
    TestServer server;
    WebDriver browser;

    @BeforeEach
    void bind() {
        server = console.server();
        browser = console.browser();
    }

    @Test
    void anAdminLogsInApprovesAPendingEnrollmentAndSeesItActive() {
        String machineId = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);

        browser.get(server.url("/admin"));
        assertTrue(browser.getCurrentUrl().endsWith("/admin/login"), "anonymous visitors are sent to the login");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("not the password");
        console.submit(By.id("login"));
        assertTrue(browser.findElement(By.id("login-error")).getText().contains("Wrong"));

        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
        console.submit(By.id("login"));
        assertEquals("admin", browser.findElement(By.id("who")).getText());

        var row = browser.findElement(By.cssSelector("tr.enrollment[data-machine='" + machineId + "']"));
        assertTrue(row.getText().contains("EK unverified"), row.getText());
        assertTrue(row.getText().contains("8 PCRs: 0, 1"), "the first quote's PCRs, short: " + row.getText());
        row.findElement(By.tagName("summary")).click();
        assertTrue(row.getText().contains("PCR 0"), "and in full on demand: " + row.getText());
        browser.get(server.url("/admin/machines/" + machineId));
        browser.findElement(By.id("approve-reason")).sendKeys("asset tag 4711, checked by phone");
        console.submit(By.id("approve"));

        assertEquals("ACTIVE", browser.findElement(By.id("f-state")).getText());
        assertEquals("admin", browser.findElement(By.id("f-decidedBy")).getText());
        assertEquals(EnrollmentState.ACTIVE, server.state(machineId));

        browser.findElement(By.id("golden-pcrs")).sendKeys("7=" + "ab".repeat(32));
        browser.findElement(By.id("golden-reason")).sendKeys("new secure boot database");
        console.submit(By.id("set-golden"));
        assertEquals("golden", browser.findElement(By.id("f-policy")).getText());

        browser.get(server.url("/admin/machines"));
        var machineRow = browser.findElement(By.cssSelector("#machines tr[data-machine='" + machineId + "']"));
        assertEquals("ACTIVE", machineRow.findElement(By.className("state")).getText());
        assertEquals("NONE", machineRow.findElements(By.tagName("td")).get(4).getText(),
                "approved but not yet attested: visible on the page");

        browser.get(server.url("/admin/audit"));
        assertTrue(browser.findElement(By.id("chain")).getText().contains("intact"));
        assertTrue(browser.findElement(By.id("audit")).getText().contains("enrollment.approve"));
    }
}
