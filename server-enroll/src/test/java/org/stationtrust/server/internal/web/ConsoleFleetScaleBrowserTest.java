package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.testing.ConsoleBrowser;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/**
 * The console as an admin of thousands of machines sees it, in headless Chromium against a real server: pages whose
 * tables grow with the fleet stay bounded, what people decided stays in view however much the machines log, and the
 * enrollments of one TPM (re-imaged, cleared, or copied) are shown side by side.
 */
class ConsoleFleetScaleBrowserTest {
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

        console.signIn(Role.AUDITOR);
        browser.get(server.url("/admin/audit"));
        String people = browser.findElement(By.id("operator-actions")).getText();
        assertTrue(people.contains("enrollment.approve") && people.contains(approved)
                && people.contains("asset tag 991 checked on site"), "the approval is in view: " + people);
        assertTrue(people.contains("auditor") && people.contains("login"), "and the sign-ins: " + people);
        assertTrue(console.rows("operator-actions").stream().noneMatch(r -> r.getText().contains("attestation.")),
                "machine and server events are not among the operators' actions");
        assertEquals(200, console.rows("audit").size(), "the full log is still shown below, newest first");
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

        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/tokens"));
        List<WebElement> rows = console.rows("tokens");
        assertEquals(200, rows.size(), "one page of tokens, not all 3,000");
        assertTrue(rows.get(0).getText().contains("station 2999"), "newest first: " + rows.get(0).getText());
        assertEquals("3000 enrollment tokens, 10 open; the newest 200 are shown.",
                browser.findElement(By.id("token-count")).getText());
    }

    @Test
    void everyEnrollmentOfTheSameEkIsListedBesideTheMachineWithItsStateAndALinkToIt() throws Exception {
        String active = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        String pending = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        String unactivated = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_ACTIVATION, false);
        String stranger = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        server.db.write(c -> {
            try (PreparedStatement same = c.prepareStatement("UPDATE machines SET ek_name = 'ek-shared', created_at = ? "
                    + "WHERE id = ?")) {
                List<String> oldestFirst = List.of(active, pending, unactivated);
                for (int i = 0; i < oldestFirst.size(); i++) {
                    same.setLong(1, System.currentTimeMillis() - 60_000L * (3 - i));
                    same.setString(2, oldestFirst.get(i));
                    same.executeUpdate();
                }
                return null;
            }
        });

        console.signIn(Role.APPROVER);
        browser.get(server.url("/admin/machines/" + pending));
        List<WebElement> rows = console.rows("same-ek");
        assertEquals(List.of(unactivated, active), rows.stream().map(r -> r.getAttribute("data-machine")).toList(),
                "the other two enrollments of the EK, newest first, and not the machine of another EK");
        assertEquals("ACTIVE", rows.get(1).findElement(By.className("state")).getText());
        assertEquals("PENDING_ACTIVATION", rows.get(0).findElement(By.className("state")).getText());
        List<String> violations = org.stationtrust.server.testing.AxeCore.seriousViolations(browser);
        assertTrue(violations.isEmpty(), "axe on a machine page with its EK's other enrollments: " + violations);
        console.submit(By.cssSelector("#same-ek tr[data-machine='" + active + "'] a"));
        assertEquals(List.of(unactivated, pending), console.rows("same-ek").stream()
                .map(r -> r.getAttribute("data-machine")).toList(), "and from the active machine the two that claim its EK");
        browser.get(server.url("/admin/machines/" + stranger));
        browser.findElement(By.id("identity-heading"));
        assertTrue(console.now(By.id("same-ek")).isEmpty(), "a machine alone on its EK: no table");
    }
}
