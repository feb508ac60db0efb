package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.HeadlessChromium;

/**
 * The operator lifecycle forms in real headless Chromium, with two browsers: an admin disables, enables, resets and
 * removes operators on /admin/users while an auditor's browser sees the effect (a disabled operator's session ends
 * at once), redeems the one-time reset token on /reset-password and changes its own password on /admin/password.
 */
class OperatorFormsBrowserTest {
    private static final String RESET_PASSWORD = "a reset password, long enough";
    private static final String CHANGED_PASSWORD = "the auditor's own new password";

    @TempDir
    Path dir;
    TestServer server;
    WebDriver admin;
    WebDriver auditor;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir.resolve("db"));
        admin = HeadlessChromium.start(dir.resolve("admin"));
        auditor = HeadlessChromium.start(dir.resolve("auditor"));
    }

    @AfterEach
    void stop() {
        if (admin != null) admin.quit();
        if (auditor != null) auditor.quit();
        if (server != null) server.close();
    }

    private void signIn(WebDriver browser, String user, String password) {
        browser.get(server.url("/admin/login"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        HeadlessChromium.submitAndWaitForNextPage(browser, By.id("login"));
    }

    private static boolean signedInAs(WebDriver browser, String user) {
        // the page has loaded (signIn waits for it): an absent name answers at once, not after the implicit wait
        List<org.openqa.selenium.WebElement> who = HeadlessChromium.present(browser, By.id("who"));
        return !who.isEmpty() && who.get(0).getText().equals(user);
    }

    private String operatorState(String user) {
        admin.get(server.url("/admin/users"));
        return admin.findElement(By.cssSelector("#operators tr[data-user='" + user + "']"))
                .findElements(By.tagName("td")).get(3).getText();
    }

    private void submitReason(String formId, String reason) {
        admin.findElement(By.id(formId + "-reason")).sendKeys(reason);
        HeadlessChromium.submitAndWaitForNextPage(admin, By.id(formId));
    }

    @Test
    void anAdminDisablesEnablesResetsAndRemovesOperatorsFromThePageAndEachTakesEffectAtOnce() throws Exception {
        signIn(admin, "admin", TestServer.PASSWORD);
        assertTrue(signedInAs(admin, "admin"));
        signIn(auditor, "auditor", TestServer.PASSWORD);
        assertTrue(signedInAs(auditor, "auditor"));
        assertEquals("enabled", operatorState("auditor"));

        submitReason("disable-auditor", "left the project");
        assertEquals("disabled", operatorState("auditor"));
        auditor.get(server.url("/admin"));
        assertTrue(auditor.getCurrentUrl().endsWith("/admin/login"), "the disabled operator's session ended at once: "
                + auditor.getCurrentUrl());
        signIn(auditor, "auditor", TestServer.PASSWORD);
        assertFalse(signedInAs(auditor, "auditor"), "a disabled operator cannot sign in with the right password");
        assertTrue(auditor.findElement(By.id("login-error")).getText().contains("Wrong"));
        assertAccessible(auditor, "sign-in refused");

        admin.get(server.url("/admin/users"));
        submitReason("enable-auditor", "back on the project");
        assertEquals("enabled", operatorState("auditor"));

        admin.get(server.url("/admin/users"));
        submitReason("reset-auditor", "forgot the password");
        String token = admin.findElement(By.id("reset-token")).getText();
        assertTrue(token.length() >= 20, "a one-time token is shown: " + token);
        auditor.get(server.url("/reset-password"));
        auditor.findElement(By.id("token")).sendKeys(token);
        auditor.findElement(By.id("password")).sendKeys(RESET_PASSWORD);
        HeadlessChromium.submitAndWaitForNextPage(auditor, By.id("reset"));
        assertTrue(auditor.getCurrentUrl().endsWith("/admin/login"), auditor.getCurrentUrl());
        signIn(auditor, "auditor", TestServer.PASSWORD);
        assertFalse(signedInAs(auditor, "auditor"), "the old password no longer works after the reset");
        signIn(auditor, "auditor", RESET_PASSWORD);
        assertTrue(signedInAs(auditor, "auditor"), "the reset password works");
        auditor.get(server.url("/reset-password"));
        auditor.findElement(By.id("token")).sendKeys(token);
        auditor.findElement(By.id("password")).sendKeys("yet another password here");
        HeadlessChromium.submitAndWaitForNextPage(auditor, By.id("reset"));
        assertFalse(auditor.getCurrentUrl().endsWith("/admin/login"), "the token works once");
        assertAccessible(auditor, "reset token refused");

        auditor.get(server.url("/admin/password"));
        auditor.findElement(By.id("current")).sendKeys(RESET_PASSWORD);
        auditor.findElement(By.id("password")).sendKeys(CHANGED_PASSWORD);
        HeadlessChromium.submitAndWaitForNextPage(auditor, By.id("change"));
        assertTrue(signedInAs(auditor, "auditor"), "changing one's own password keeps this session");
        assertAccessible(auditor, "password changed");
        signIn(auditor, "auditor", RESET_PASSWORD);
        assertFalse(signedInAs(auditor, "auditor"), "the previous password no longer works");
        signIn(auditor, "auditor", CHANGED_PASSWORD);
        assertTrue(signedInAs(auditor, "auditor"));

        admin.get(server.url("/admin/users"));
        submitReason("remove-approver", "account no longer needed");
        assertAccessible(admin, "operator removed");
        admin.get(server.url("/admin/users"));
        assertTrue(HeadlessChromium.present(admin, By.cssSelector("#operators tr[data-user='approver']")).isEmpty(),
                "the removed operator is gone from the list");
        assertTrue(HeadlessChromium.present(admin, By.id("disable-admin")).isEmpty(), "an admin is offered no form against itself");

        List<String> actions = new AuditLog(server.db).recent(100).stream().map(e -> e.action()).toList();
        for (String action : List.of("user.disable", "user.enable", "user.password_reset_issued", "user.password_reset",
                "user.password_change", "user.remove")) {
            assertTrue(actions.contains(action), action + " audited: " + actions);
        }
    }

    private static void assertAccessible(WebDriver browser, String page) throws Exception {
        List<String> violations = org.stationtrust.server.testing.AxeCore.seriousViolations(browser);
        assertTrue(violations.isEmpty(), "axe-core on " + page + ": " + violations);
    }
}
