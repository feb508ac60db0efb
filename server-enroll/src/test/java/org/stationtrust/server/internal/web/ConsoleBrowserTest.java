package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.AxeCore;
import org.stationtrust.server.testing.ConsoleBrowser;
import org.stationtrust.server.testing.ConsoleFleet;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/**
 * The admin console in a real headless Chromium against a real server on SQLite: every page passes axe-core with no
 * serious or critical violation, decisions one by one and in batches, role-based visibility, filters and paging
 * over a generated fleet, hostile machine names, and the 1366x768 laptop screen.
 */
class ConsoleBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    @RegisterExtension
    final ConsoleBrowser console = new ConsoleBrowser();
    TestServer server;
    WebDriver browser;

    @BeforeEach
    void bind() {
        server = console.server();
        browser = console.browser();
        console.viewport(1366, 768); // a laptop screen of that resolution
    }

    private void assertAccessible(String page) throws Exception {
        List<String> violations = AxeCore.seriousViolations(browser);
        assertTrue(violations.isEmpty(), "axe-core " + AxeCore.version(browser) + " on " + page + ": " + violations);
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void everyPagePassesAxeWithNoSeriousOrCriticalViolationAndTheMainPagesAreScreenshotted() throws Exception {
        ConsoleFleet.seed(server.db, "a0a0a0", 0, 60, System.currentTimeMillis() - 86_400_000L);
        String active = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_ACTIVATION, false);

        browser.get(server.url("/admin/login"));
        assertAccessible("sign-in");
        browser.get(server.url("/reset-password"));
        assertAccessible("password reset");
        console.signIn(Role.ADMIN);
        assertAccessible("overview");
        screenshot("overview");
        browser.get(server.url("/admin/machines"));
        assertAccessible("machine list");
        screenshot("machine-list");
        browser.get(server.url("/admin/machines/" + active));
        browser.findElement(By.cssSelector("#first-pcrs summary")).click();
        assertAccessible("machine detail");
        screenshot("machine-detail");
        for (String page : List.of("/admin/machines?state=PENDING_APPROVAL&sort=oldest", "/admin/tokens", "/admin/audit",
                "/admin/webhooks", "/admin/users", "/admin/password", "/admin/machines/nosuchmachine",
                "/admin/machines?from=yesterday")) {
            browser.get(server.url(page));
            assertAccessible(page);
        }
        browser.get(server.url("/admin/tokens"));
        browser.findElement(By.id("token-note")).sendKeys("lab bench 3");
        console.submit(By.id("issue-token"));
        assertTrue(browser.findElement(By.id("token")).getText().startsWith("ste_"), "token shown once");
        assertAccessible("token issued");
    }

    @Test
    void theCspAllowsOnlyTheServersOwnStylesheetAndThePagesCarryNoInlineScriptOrStyle() throws Exception {
        HttpResponse<String> css = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                server.url("/static/console.css"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> login = server.login(client, "admin", TestServer.PASSWORD);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(server.url("/admin"))).header("Cookie",
                cookie).build(), HttpResponse.BodyHandlers.ofString());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("default-src 'none'") && csp.contains("style-src 'self'") && !csp.contains("unsafe"),
                csp);
        assertFalse(csp.contains("script-src"), "no script is allowed at all: " + csp);
        assertFalse(page.body().contains("<script") || page.body().contains("<style") || page.body().contains("style="),
                "no inline script or style");
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "nothing loaded from elsewhere");
    }

    @Test
    void anAdminApprovesABatchEachMachineDecidedAndAuditedOnItsOwn() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false));
        String untouched = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        console.signIn(Role.ADMIN);
        for (String id : ids) browser.findElement(By.id("pick-" + id)).click();
        browser.findElement(By.id("pending-reason")).sendKeys("delivery 42 to the Nairobi centre");
        console.submit(By.id("pending-approve"));
        assertTrue(browser.findElement(By.id("message")).getText().startsWith("Approved 3 machines"),
                browser.findElement(By.id("message")).getText());
        assertAccessible("batch result");
        for (String id : ids) assertEquals(EnrollmentState.ACTIVE, server.state(id));
        assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(untouched));
        String audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=50", null).body();
        for (String id : ids) {
            assertTrue(Pattern.compile("\"action\":\"enrollment.approve\",\"subject\":\"" + id).matcher(audit).find(),
                    "one audit row per machine: " + id);
        }
        browser.get(server.url("/admin/machines/" + ids.get(0)));
        assertEquals("admin", browser.findElement(By.id("f-decidedBy")).getText());
        assertEquals("delivery 42 to the Nairobi centre", browser.findElement(By.id("f-decisionReason")).getText());
        assertTrue(browser.findElement(By.id("machine-audit")).getText().contains("enrollment.approve"),
                "the machine's own audit events are on its page");
    }

    @Test
    void afterABatchFromAFilteredListTheApproverGoesBackToThatListWithTheDecidedMachinesGone() throws Exception {
        List<ConsoleFleet.Generated> fleet = ConsoleFleet.seed(server.db, "d0d0d0", 0, 40,
                System.currentTimeMillis() - 86_400_000L);
        console.signIn(Role.APPROVER);
        String filtered = "/admin/machines?q=d0d0d0-00001&state=PENDING_APPROVAL&sort=oldest";
        browser.get(server.url(filtered));
        List<WebElement> before = console.rows("machines");
        assertEquals(2, before.size(), "d0d0d0-000011 and -000016 are pending");
        before.get(0).findElement(By.name("pick")).click();
        browser.findElement(By.id("batch-reason")).sendKeys("delivery 12");
        console.submit(By.id("batch-approve"));
        assertTrue(browser.findElement(By.id("message")).getText().startsWith("Approved 1 machine"));
        console.submit(By.id("back"));
        assertEquals(server.url("/admin/machines?q=d0d0d0-00001&state=PENDING_APPROVAL&sort=oldest"),
                browser.getCurrentUrl(), "the same filter, from its first page");
        assertEquals(List.of(fleet.get(16).id()), console.rows("machines").stream()
                .map(r -> r.getAttribute("data-machine")).toList(), "the decided machine has left the list");

        browser.get(server.url("/admin"));
        console.now(By.name("pick")).get(0).click();
        browser.findElement(By.id("pending-reason")).sendKeys("delivery 13");
        console.submit(By.id("pending-approve"));
        console.submit(By.id("back"));
        assertEquals(server.url("/admin"), browser.getCurrentUrl(), "a batch from the overview goes back there");
    }

    @Test
    void aBatchCannotSendTheApproverToAnotherSiteAfterwards() throws Exception {
        String id = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/machines?state=PENDING_APPROVAL"));
        browser.findElement(By.id("pick-" + id)).click();
        ((JavascriptExecutor) browser).executeScript("document.querySelector('#batch input[name=back]').value = "
                + "'//evil.example/admin/machines?x';");
        browser.findElement(By.id("batch-reason")).sendKeys("forged back link");
        console.submit(By.id("batch-approve"));
        assertEquals("/admin", browser.findElement(By.id("back")).getDomAttribute("href"),
                "a back link outside the console's lists falls back to the overview");
    }

    @Test
    void aBatchIsRefusedAsAWholeWhenAnyMemberChangedSinceThePageWasShown() throws Exception {
        String a = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        String b = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/machines?state=PENDING_APPROVAL"));
        browser.findElement(By.id("pick-" + a)).click();
        browser.findElement(By.id("pick-" + b)).click();
        // Someone else rejects b while this page is open.
        assertEquals(200, server.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + b + "/reject",
                "{\"reason\": \"duplicate request\"}").statusCode());
        browser.findElement(By.id("batch-reason")).sendKeys("batch of two");
        console.submit(By.id("batch-approve"));
        String error = browser.findElement(By.id("error")).getText();
        assertTrue(error.contains("Batch refused") && error.contains(b + " is now REJECTED"), error);
        assertAccessible("batch refused");
        assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(a), "nothing of the batch was applied");
        assertEquals(EnrollmentState.REJECTED, server.state(b));
    }

    @Test
    void aBatchRefusedForOneMemberNamesThatMemberSoTheApproverCanUntickIt() throws Exception {
        List<String> verified = new ArrayList<>();
        for (int i = 0; i < 3; i++) verified.add(ConsoleFleet.seed(server.db, "b" + i + "b" + i + "b" + i, 1, 2,
                System.currentTimeMillis() - 86_400_000L).get(0).id()); // generated machine 1: pending, EK verified
        String unverified = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        console.signIn(Role.APPROVER);
        browser.get(server.url("/admin/machines?state=PENDING_APPROVAL"));
        for (String id : verified) browser.findElement(By.id("pick-" + id)).click();
        browser.findElement(By.id("pick-" + unverified)).click();
        browser.findElement(By.id("batch-reason")).sendKeys("delivery 7");
        console.submit(By.id("batch-approve"));
        String error = browser.findElement(By.id("error")).getText();
        assertTrue(error.contains(unverified) && error.contains("soft-" + unverified.substring(0, 6))
                && error.contains("only an admin may approve"), "the refusal names the member refused: " + error);
        assertTrue(error.contains("nothing was changed"), error);
        for (String id : verified) assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(id));
    }

    @Test
    void anAuditorSeesNoDecisionAndAnApproverNoRevocation() throws Exception {
        String pending = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        String active = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        console.signIn(Role.AUDITOR);
        assertTrue(console.now(By.cssSelector("input[name=pick], button[name=action]")).isEmpty());
        browser.get(server.url("/admin/machines"));
        assertEquals(2, console.rows("machines").size());
        assertTrue(console.now(By.cssSelector("input[name=pick], button[name=action]")).isEmpty());
        browser.get(server.url("/admin/machines/" + pending));
        assertTrue(console.now(By.cssSelector("form.decide")).isEmpty(), "no decision form for an auditor");
        assertTrue(console.now(By.linkText("Operators")).isEmpty(), "operators are for admins");
        assertTrue(console.now(By.linkText("Enrollment tokens")).isEmpty(),
                "enrollment tokens are for approvers and admins");
        browser.get(server.url("/admin/users"));
        assertAccessible("an auditor refused the operators page");
        browser.get(server.url("/admin"));
        browser.findElement(By.id("logout")).click();

        console.signIn(Role.APPROVER);
        assertEquals(1, console.now(By.id("pending-approve")).size());
        assertTrue(console.now(By.id("pending-revoke")).isEmpty(), "an approver has no revoke");
        browser.get(server.url("/admin/machines"));
        assertTrue(console.now(By.id("pick-" + active)).isEmpty(), "an active machine is not selectable");
        assertEquals(1, console.now(By.id("pick-" + pending)).size());
        browser.get(server.url("/admin/machines/" + active));
        assertTrue(console.now(By.id("revoke")).isEmpty());
        browser.get(server.url("/admin/machines/" + pending));
        assertTrue(console.now(By.id("approve")).isEmpty(), "an unverified EK needs an admin");
        assertEquals(1, console.now(By.id("reject")).size());
        browser.findElement(By.id("logout")).click();

        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/machines/" + active));
        browser.findElement(By.id("revoke-reason")).sendKeys("laptop stolen, police report 77");
        console.submit(By.id("revoke"));
        assertEquals("REVOKED", browser.findElement(By.id("f-state")).getText());
        assertEquals("admin", browser.findElement(By.id("f-revokedBy")).getText());
        assertAccessible("machine page after a revocation");
    }

    @Test
    void aBatchPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        String id = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String cookie = server.login(client, "admin", TestServer.PASSWORD).headers().firstValue("Set-Cookie")
                .orElseThrow().split(";")[0];
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url("/admin/machines/batch")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString("action=approve&reason=forged+page&pick=" + id
                        + ".PENDING_APPROVAL")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("csrf_token_invalid"), r.body());
        assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(id));
    }

    @Test
    void aFormSentFromAnotherSiteIsRefusedEvenWithTheSessionAndItsCsrfToken() throws Exception {
        String id = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String cookie = server.login(client, "admin", TestServer.PASSWORD).headers().firstValue("Set-Cookie")
                .orElseThrow().split(";")[0];
        String page = client.send(HttpRequest.newBuilder(URI.create(server.url("/admin/machines/" + id)))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(csrf.find(), "the page carries the session's CSRF token");
        // A sibling host of the same site gets the SameSite=Strict cookie; here it also learnt the token.
        for (String site : List.of("cross-site", "same-site")) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url("/admin/machines/" + id
                            + "/reject"))).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", cookie).header("Sec-Fetch-Site", site)
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&reason=forged+elsewhere"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), site);
            assertTrue(r.body().contains("csrf_token_invalid") && r.body().contains("another site"), r.body());
        }
        assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(id));
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(server.url("/admin/login")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "st_login=t0k3n")
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofString(
                        "login_csrf=t0k3n&username=admin&password=" + java.net.URLEncoder.encode(TestServer.PASSWORD,
                                java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, login.statusCode(), "nor may another site sign a browser in");

        console.signIn(Role.ADMIN); // while Chromium's own forms (Sec-Fetch-Site: same-origin) go through
        browser.get(server.url("/admin/machines/" + id));
        browser.findElement(By.id("approve-reason")).sendKeys("checked by phone");
        console.submit(By.id("reject"));
        assertEquals("REJECTED", browser.findElement(By.id("f-state")).getText());
    }

    @Test
    void hostileMachineNamesAreShownAsTextAndCannotReorderOrInjectAnything() throws Exception {
        long now = System.currentTimeMillis();
        String markup = "<script>document.title='owned'</script><img src=x id=injected>\"'><b>x</b>";
        String bidi = "invoice\u202Egpj.exe";
        String zeroWidth = "ad\u200Bmin\u200D-laptop";
        String m1 = ConsoleFleet.seedNamed(server.db, "h0000000000000000000000000000001", markup, now - 3000);
        String m2 = ConsoleFleet.seedNamed(server.db, "h0000000000000000000000000000002", bidi, now - 2000);
        String m3 = ConsoleFleet.seedNamed(server.db, "h0000000000000000000000000000003", zeroWidth, now - 1000);
        console.signIn(Role.ADMIN);
        for (String page : List.of("/admin", "/admin/machines", "/admin/machines/" + m1, "/admin/machines/" + m2,
                "/admin/machines?q=" + java.net.URLEncoder.encode("<script>", java.nio.charset.StandardCharsets.UTF_8))) {
            browser.get(server.url(page));
            assertTrue(console.now(By.id("injected")).isEmpty(), page + ": markup stayed text");
            assertTrue(console.now(By.cssSelector("main b")).stream().noneMatch(e -> e.getText().equals("x")),
                    page + ": no element from a name");
            assertFalse(browser.getTitle().equals("owned"), page + ": the name's script did not run");
            assertFalse(browser.getPageSource().contains("<script>document"), page);
        }
        browser.get(server.url("/admin/machines"));
        assertEquals(markup, browser.findElement(By.cssSelector("tr[data-machine='" + m1 + "'] td.name")).getText());
        WebElement bidiName = browser.findElement(By.cssSelector("tr[data-machine='" + m2 + "'] td.name bdi"));
        assertEquals(bidi, bidiName.getText(), "the name is shown as stored, its override isolated in <bdi>");
        assertEquals("isolate", bidiName.getCssValue("unicode-bidi"));
        assertEquals(zeroWidth, ((JavascriptExecutor) browser).executeScript("return arguments[0].textContent;",
                browser.findElement(By.cssSelector("tr[data-machine='" + m3 + "'] td.name"))), "shown as stored");
        browser.get(server.url("/admin"));
        assertTrue(browser.findElement(By.cssSelector("tr[data-machine='" + m2 + "'] .invisible")).getText()
                .contains("U+202E"), "the approver is told of the bidi override");
        assertTrue(browser.findElement(By.cssSelector("tr[data-machine='" + m3 + "'] .invisible")).getText()
                .contains("U+200B, U+200D"), "and of the zero-width characters");
        browser.get(server.url("/admin/machines?q=" + java.net.URLEncoder.encode("ad\u200Bmin",
                java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(1, console.rows("machines").size(), "a zero-width character is matched as typed, not dropped");
        browser.get(server.url("/admin/machines?q=admin-laptop"));
        assertEquals(0, console.rows("machines").size(), "the look-alike does not match the plain name");
        assertAccessible("list with hostile names");
    }

    @Test
    void bootLogStringsFromTheStationAreShownAsTextWithTheirInvisibleCharactersSpelledOut() throws Exception {
        String id = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        // A boot application's device path is event data the PCRs do not cover: whoever boots the machine writes it.
        String path = "\\EFI\\Boot\\\u202Eife.rgmtoob<img src=x id=injected>";
        String firmware = "Station\u200BBIOS 1.01";
        server.db.write(c -> {
            try (java.sql.PreparedStatement boot = c.prepareStatement("INSERT INTO machine_boot (machine_id, last_result, "
                    + "last_message, last_changes, last_at) VALUES (?, 'PASSED_CHANGED', ?, ?, ?)");
                 java.sql.PreparedStatement doc = c.prepareStatement("INSERT INTO machine_boot_documents (machine_id, "
                         + "last_state) VALUES (?, ?)")) {
                boot.setString(1, id);
                boot.setString(2, "boot application " + path + " changed");
                boot.setString(3, TestServer.JSON.writeValueAsString(List.of("new boot application " + path)));
                boot.setLong(4, System.currentTimeMillis());
                boot.executeUpdate();
                doc.setString(1, id);
                doc.setString(2, TestServer.JSON.writeValueAsString(java.util.Map.of("secureBoot", "ON",
                        "firmwareVersions", List.of(firmware), "bootApplications", List.of(java.util.Map.of("path", path,
                                "digest", "ab".repeat(32))))));
                return doc.executeUpdate();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        console.signIn(Role.AUDITOR);
        browser.get(server.url("/admin/machines/" + id));
        assertTrue(console.now(By.id("injected")).isEmpty(), "markup in the log stayed text");
        for (String field : List.of("boot-message", "boot-applications", "boot-firmware")) {
            String text = (String) ((JavascriptExecutor) browser).executeScript("return arguments[0].textContent;",
                    browser.findElement(By.id(field)));
            assertFalse(text.chars().anyMatch(ch -> Character.getType(ch) == Character.FORMAT),
                    field + " carries no invisible or direction-changing character: " + text);
        }
        assertTrue(browser.findElement(By.id("boot-applications")).getText().contains("[U+202E]ife.rgmtoob<img"),
                "the override is spelled out where it was: " + browser.findElement(By.id("boot-applications")).getText());
        assertTrue(browser.findElement(By.id("boot-firmware")).getText().contains("Station[U+200B]BIOS"));
        String change = (String) ((JavascriptExecutor) browser).executeScript("return arguments[0].textContent;",
                browser.findElement(By.cssSelector("#boot-changes li")));
        assertTrue(change.contains("[U+202E]") && !change.contains("\u202E"), change);
        assertAccessible("machine page with a hostile boot log");
    }

    @Test
    void filtersSortAndKeysetPagingOverTwelveHundredGeneratedMachines() throws Exception {
        long start = java.time.LocalDate.of(2026, 1, 1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
        List<ConsoleFleet.Generated> fleet = ConsoleFleet.seed(server.db, "f1f1f1", 0, 1200, start);
        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/machines"));
        assertEquals("1200 machines match.", browser.findElement(By.id("matching")).getText());
        assertEquals(50, console.rows("machines").size());
        assertEquals("f1f1f1-001199", console.rows("machines").get(0).findElement(By.cssSelector("td.name")).getText(),
                "newest first");

        // Search by name, id, EK serial, manufacturer.
        browser.findElement(By.id("q")).sendKeys("f1f1f1-00042");
        console.submit(By.id("apply"));
        assertEquals(10, console.rows("machines").size(), "f1f1f1-000420..429");
        browser.get(server.url("/admin/machines?q=SN1117"));
        assertEquals(1, console.rows("machines").size());
        assertEquals(fleet.get(1117).id(), console.rows("machines").get(0).getAttribute("data-machine"));
        browser.get(server.url("/admin/machines?q=" + fleet.get(7).id()));
        assertEquals(1, console.rows("machines").size());
        browser.get(server.url("/admin/machines?q=intc"));
        assertEquals("300 machines match.", browser.findElement(By.id("matching")).getText(), "every fourth: INTC");

        // Filters through the form: state and attestation result.
        browser.get(server.url("/admin/machines"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-state"))).selectByValue("ACTIVE");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-attestation"))).selectByValue("FAILED");
        console.submit(By.id("apply"));
        long activeFailed = fleet.stream().filter(g -> g.state() == EnrollmentState.ACTIVE
                && g.attestation().equals("FAILED")).count();
        assertEquals(activeFailed + " machines match.", browser.findElement(By.id("matching")).getText());
        for (WebElement row : console.rows("machines")) {
            assertEquals("ACTIVE", row.findElement(By.cssSelector("td.state")).getText());
        }
        // Enrolment time: 2026-01-01 holds machines 0..1199 at one a minute, so the first day has 1200 minutes; the
        // second day none.
        browser.get(server.url("/admin/machines?from=2026-01-01&to=2026-01-01&state=REJECTED"));
        assertEquals("240 machines match.", browser.findElement(By.id("matching")).getText());
        browser.get(server.url("/admin/machines?from=2026-01-02"));
        assertEquals("0 machines match.", browser.findElement(By.id("matching")).getText());
        // Firmware from the measured boot state.
        browser.get(server.url("/admin/machines?firmware=StationBIOS+1.01"));
        long withFirmware = java.util.stream.IntStream.range(0, 1200).filter(i -> i % 10 == 0 && i % 3 == 1).count();
        assertEquals(withFirmware + " machines match.", browser.findElement(By.id("matching")).getText());

        // Sort by name and walk every page of a filter: no machine twice, none missed.
        browser.get(server.url("/admin/machines?state=PENDING_APPROVAL&sort=name"));
        Set<String> seen = new HashSet<>();
        String previous = "";
        int pages = 0;
        while (true) {
            pages++;
            for (WebElement row : console.rows("machines")) {
                String name = row.findElement(By.cssSelector("td.name")).getText();
                assertTrue(name.compareTo(previous) > 0, name + " after " + previous);
                previous = name;
                assertTrue(seen.add(row.getAttribute("data-machine")), "no machine on two pages");
            }
            List<WebElement> next = console.now(By.id("next-page"));
            if (next.isEmpty()) break;
            console.submit(By.id("next-page"));
        }
        assertEquals(240, seen.size(), "every pending machine once");
        assertEquals(5, pages);
        assertEquals(1, console.now(By.id("first-page")).size());
        assertAccessible("last page of a filtered list");
    }

    @Test
    void thePendingListShowsAtLeastFifteenMachinesOnA1366By768Screen() throws Exception {
        ConsoleFleet.seed(server.db, "b0b0b0", 0, 200, System.currentTimeMillis() - 86_400_000L);
        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/machines?state=PENDING_APPROVAL&sort=oldest"));
        long viewport = (Long) ((JavascriptExecutor) browser).executeScript("return window.innerHeight;");
        assertEquals(768, viewport, "viewport height");
        long visible = (Long) ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
                + "'#machines tbody tr')).filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length;");
        assertTrue(visible >= 15, visible + " pending machines fully visible in a " + viewport + " px high viewport");
        Files.createDirectories(SCREENSHOTS);
        screenshot("pending-1366x768");
        long width = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth;");
        long inner = (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth;");
        assertTrue(width <= inner, "no horizontal scrolling at 1366 px: " + width + " > " + inner);
        console.viewport(1280, 800);
        browser.get(server.url("/admin/machines"));
        width = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;");
        inner = (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth;");
        assertTrue(width <= inner, "no horizontal scrolling at 1280 px: " + width + " > " + inner);
    }

    @Test
    void theConsoleIsUsableWithTheKeyboardAlone() throws Exception {
        String id = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        browser.get(server.url("/admin/login"));
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);
        // Skip link first, then the form fields in order.
        keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
        assertEquals("Skip to content", browser.switchTo().activeElement().getText());
        keys.sendKeys(org.openqa.selenium.Keys.TAB).sendKeys("admin").sendKeys(org.openqa.selenium.Keys.TAB)
                .sendKeys(TestServer.PASSWORD).perform();
        WebElement old = browser.findElement(By.tagName("html"));
        keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(old));
        assertEquals("admin", browser.findElement(By.id("who")).getText());
        // Tick the pending machine and reject it with the keyboard.
        WebElement box = browser.findElement(By.id("pick-" + id));
        ((JavascriptExecutor) browser).executeScript("arguments[0].focus();", box);
        keys.sendKeys(org.openqa.selenium.Keys.SPACE).perform();
        assertTrue(box.isSelected());
        ((JavascriptExecutor) browser).executeScript("document.getElementById('pending-reason').focus();");
        keys.sendKeys("typed with the keyboard").sendKeys(org.openqa.selenium.Keys.TAB).sendKeys(org.openqa.selenium.Keys.TAB)
                .perform();
        assertEquals("pending-reject", browser.switchTo().activeElement().getAttribute("id"));
        old = browser.findElement(By.tagName("html"));
        keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(old));
        assertEquals(EnrollmentState.REJECTED, server.state(id));
        assertAccessible("single decision result");
    }

    @Test
    void theConsoleStaysReadableUnderForcedColoursAndHigherContrast() throws Exception {
        ConsoleFleet.seed(server.db, "b0b0b0", 0, 60, System.currentTimeMillis() - 86_400_000L);
        String active = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        console.signIn(Role.ADMIN);
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // Windows high contrast as Chromium emulates it: the page's colours replaced by a few system colours.
        emulateMedia(java.util.Map.of("forced-colors", "active", "prefers-contrast", "more"));
        for (String page : List.of("/admin", "/admin/machines", "/admin/machines/" + active, "/admin/users",
                "/admin/audit", "/admin/tokens")) {
            browser.get(server.url(page));
            assertEquals(Boolean.TRUE, js.executeScript("return matchMedia('(forced-colors: active)').matches"
                    + " && matchMedia('(prefers-contrast: more)').matches;"), "emulated on " + page);
            assertAccessible(page + " under forced colours");
            // Nothing told by colour alone: every badge and button has text and a border the system colours keep.
            for (WebElement e : console.now(By.cssSelector(".badge, button"))) {
                String what = e.getTagName() + " '" + e.getText() + "' on " + page;
                assertFalse(e.getText().isBlank() && e.getAttribute("aria-label") == null, what + " has text");
                if (!e.isDisplayed()) continue;
                assertEquals("solid", e.getCssValue("border-top-style"), what + " bordered");
                assertTrue(px(e.getCssValue("border-top-width")) >= 1, what + " bordered");
                assertFalse(e.getCssValue("border-top-color").equals(e.getCssValue("background-color")),
                        what + ": border distinct from its background");
            }
            screenshot("forced-colors" + page.replace("/admin", "").replace('/', '-'));
        }
        browser.get(server.url("/admin"));
        List<WebElement> attention = console.now(By.cssSelector(".counts .attention a"));
        assertFalse(attention.isEmpty(), "the seeded fleet has flagged machines");
        for (WebElement a : attention) {
            assertTrue(a.getText().contains("needs attention"), "attention said in words: " + a.getText());
        }
        // The focus ring stays visible with the keyboard: the first 12 stops of the overview, each with an outline.
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);
        for (int i = 0; i < 12; i++) {
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            String what = focused.getTagName() + " '" + focused.getText() + "' (stop " + i + ")";
            assertFalse("none".equals(focused.getCssValue("outline-style")), what + " shows focus");
            assertTrue(px(focused.getCssValue("outline-width")) >= 2, what + " focus ring at least 2 px");
        }

        // Higher contrast alone (no forced colours): every text at WCAG AAA contrast, by axe's own rule.
        emulateMedia(java.util.Map.of("prefers-contrast", "more"));
        for (String page : List.of("/admin", "/admin/machines", "/admin/machines/" + active, "/admin/users")) {
            browser.get(server.url(page));
            List<String> low = AxeCore.violationsOf(browser, List.of("color-contrast-enhanced"));
            assertTrue(low.isEmpty(), "7:1 contrast on " + page + " under prefers-contrast: more: " + low);
        }
        emulateMedia(java.util.Map.of());
        browser.get(server.url("/admin/machines"));
        assertEquals(Boolean.FALSE, js.executeScript("return matchMedia('(forced-colors: active)').matches;"));
    }

    /** Chromium's CSS media feature emulation (DevTools protocol), e.g. forced-colors and prefers-contrast. */
    private void emulateMedia(java.util.Map<String, String> features) {
        List<java.util.Map<String, String>> list = new ArrayList<>();
        features.forEach((name, value) -> list.add(java.util.Map.of("name", name, "value", value)));
        if (list.isEmpty()) {
            list.add(java.util.Map.of("name", "forced-colors", "value", ""));
            list.add(java.util.Map.of("name", "prefers-contrast", "value", ""));
        }
        ((org.openqa.selenium.chrome.ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia",
                java.util.Map.of("media", "", "features", list));
    }

    private static double px(String cssLength) {
        return cssLength.endsWith("px") ? Double.parseDouble(cssLength.substring(0, cssLength.length() - 2)) : 0;
    }

    @Test
    void anAdminManagesOperatorsAndApiTokensOnThePage() throws Exception {
        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/users"));
        browser.findElement(By.id("new-username")).sendKeys("centre-lead");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("new-role"))).selectByValue("approver");
        browser.findElement(By.id("new-password")).sendKeys("a long enough password");
        console.submit(By.id("add-user"));
        assertTrue(browser.findElement(By.cssSelector("tr[data-user='centre-lead']")).getText().contains("approver"));

        browser.findElement(By.id("disable-centre-lead-reason")).sendKeys("on leave");
        console.submit(By.id("disable-centre-lead"));
        assertTrue(browser.findElement(By.cssSelector("tr[data-user='centre-lead']")).getText().contains("disabled"));
        browser.findElement(By.id("enable-centre-lead-reason")).sendKeys("back from leave");
        console.submit(By.id("enable-centre-lead"));
        assertTrue(browser.findElement(By.cssSelector("tr[data-user='centre-lead']")).getText().contains("enabled"));

        browser.findElement(By.id("reset-centre-lead-reason")).sendKeys("forgot the password");
        console.submit(By.id("reset-centre-lead"));
        assertTrue(browser.findElement(By.id("reset-token")).getText().startsWith("str_"));
        assertAccessible("password reset token issued");

        browser.get(server.url("/admin/users"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("api-user"))).selectByValue("centre-lead");
        browser.findElement(By.id("api-label")).sendKeys("reporting script");
        console.submit(By.id("issue-api"));
        String token = browser.findElement(By.id("api-token")).getText();
        assertAccessible("API token issued");
        assertEquals(200, server.request("GET", "/api/v1/admin/machines", null, token).statusCode(),
                "the token works on the API");
        browser.get(server.url("/admin/users"));
        WebElement row = console.now(By.cssSelector("#api-tokens tbody tr")).stream()
                .filter(r -> r.getText().contains("reporting script")).findFirst().orElseThrow();
        String tokenId = row.getAttribute("data-token");
        browser.findElement(By.id("revoke-token-" + tokenId + "-reason")).sendKeys("script retired");
        console.submit(By.id("revoke-token-" + tokenId));
        assertEquals(401, server.request("GET", "/api/v1/admin/machines", null, token).statusCode(),
                "a revoked token no longer works");
        String audit = server.as(Role.ADMIN, "GET", "/api/v1/admin/audit?limit=50", null).body();
        for (String action : List.of("user.add", "user.disable", "user.enable", "api_token.issue", "api_token.revoke")) {
            assertTrue(audit.contains("\"" + action + "\""), action + " audited");
        }
        assertFalse(audit.contains(token), "the token is never audited");
    }

    static String csrf(String body) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
