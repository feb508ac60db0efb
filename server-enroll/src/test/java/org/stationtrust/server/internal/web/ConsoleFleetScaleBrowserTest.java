package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.HeadlessChromium;

/**
 * The console as an admin of thousands of machines sees it, in headless Chromium against a real server: pages whose
 * tables grow with the fleet stay bounded, and what people decided stays in view however much the machines log.
 */
class ConsoleFleetScaleBrowserTest {
    @TempDir
    Path dir;
    TestServer server;
    WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir.resolve("db"));
        browser = HeadlessChromium.start(dir);
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    private void login(String user) {
        browser.get(server.url("/admin/login"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
        HeadlessChromium.submitAndWaitForNextPage(browser, By.id("login"));
        assertEquals(user, browser.findElement(By.id("who")).getText());
    }

    private List<WebElement> rows(String table) {
        browser.findElement(By.id(table));
        return HeadlessChromium.present(browser, By.cssSelector("#" + table + " tbody tr"));
    }

    @Test
    void theAuditPageKeepsTheLatestOperatorDecisionsInViewWhenMachineEventsFloodTheLog() throws Exception {
        String approved = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        server.db.write(c -> {
            try (PreparedStatement verified = c.prepareStatement("UPDATE machines SET ek_verified = 1 WHERE id = ?")) {
                verified.setString(1, approved);
                return verified.executeUpdate();
            }
        });
        assertEquals(200, server.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + approved + "/approve",
                "{\"reason\": \"asset tag 991 checked on site\"}").statusCode());
        // A Monday morning on 3,000 machines: hundreds go overdue, recover, rotate keys and send station audit.
        AuditLog audit = new AuditLog(server.db);
        server.db.inTransaction(c -> {
            for (int i = 0; i < 600; i++) {
                String machine = String.format("%032x", i);
                audit.append(c, i % 2 == 0 ? "server" : "machine:" + machine, i % 2 == 0 ? "attestation.overdue"
                        : "attestation.pass", machine, AuditOutcome.OK, "status OK -> OVERDUE");
            }
            return null;
        });

        login("auditor");
        browser.get(server.url("/admin/audit"));
        String people = browser.findElement(By.id("operator-actions")).getText();
        assertTrue(people.contains("enrollment.approve") && people.contains(approved)
                && people.contains("asset tag 991 checked on site"), "the approval is in view: " + people);
        assertTrue(people.contains("auditor") && people.contains("login"), "and the sign-ins: " + people);
        assertTrue(rows("operator-actions").stream().noneMatch(r -> r.getText().contains("attestation.")),
                "machine and server events are not among the operators' actions");
        assertEquals(200, rows("audit").size(), "the full log is still shown below, newest first");
    }

    @Test
    void theTokensPageShowsTheNewestTokensAndHowManyThereAreInsteadOfLoadingEveryTokenEverIssued() throws Exception {
        long now = System.currentTimeMillis();
        server.db.inTransaction(c -> {
            try (PreparedStatement t = c.prepareStatement("INSERT INTO enrollment_tokens (id, token_hash, created_by, "
                    + "note, created_at, expires_at, used_at, used_by) VALUES (?, ?, 'admin', ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 3000; i++) {
                    t.setString(1, String.format("tok%029d", i));
                    t.setString(2, String.format("%064d", i));
                    t.setString(3, "station " + i);
                    t.setLong(4, now - (3000 - i) * 60_000L);
                    t.setLong(5, now + 86_400_000L);
                    if (i < 2990) {
                        t.setLong(6, now - (3000 - i) * 60_000L + 1000);
                        t.setString(7, String.format("%032x", i));
                    } else {
                        t.setNull(6, java.sql.Types.BIGINT);
                        t.setNull(7, java.sql.Types.VARCHAR);
                    }
                    t.addBatch();
                }
                t.executeBatch();
            }
            return null;
        });

        login("admin");
        browser.get(server.url("/admin/tokens"));
        List<WebElement> rows = rows("tokens");
        assertEquals(200, rows.size(), "one page of tokens, not all 3,000");
        assertTrue(rows.get(0).getText().contains("station 2999"), "newest first: " + rows.get(0).getText());
        assertEquals("3000 enrollment tokens, 10 open; the newest 200 are shown.",
                browser.findElement(By.id("token-count")).getText());
    }
}
