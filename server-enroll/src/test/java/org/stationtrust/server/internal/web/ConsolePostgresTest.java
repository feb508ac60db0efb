package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.ConsoleFleet;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.HeadlessChromium;
import org.stationtrust.testsupport.TestPostgres;

/**
 * The console on PostgreSQL in headless Chromium: search, filters and keyset paging over 1,200 generated machines,
 * a batch approval, and a batch refused whole after one member changed.
 */
class ConsolePostgresTest {
    @TempDir
    Path dir;

    @Test
    void searchFiltersPagingAndBatchDecisionsWorkOnPostgresql() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL not installed: apt-get install -y postgresql");
        try (TestPostgres pg = TestPostgres.start();
             TestServer server = TestServer.start(pg.createDatabase("console"), "postgres", null, b -> b)) {
            List<ConsoleFleet.Generated> fleet = ConsoleFleet.seed(server.db, "d0d0d0", 0, 1200,
                    System.currentTimeMillis() - 86_400_000L);
            WebDriver browser = HeadlessChromium.start(dir);
            try {
                browser.get(server.url("/admin/login"));
                browser.findElement(By.id("username")).sendKeys("admin");
                browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
                HeadlessChromium.submitAndWaitForNextPage(browser, By.id("login"));

                browser.get(server.url("/admin/machines?q=D0D0D0-00042"));
                assertEquals("10 machines match.", browser.findElement(By.id("matching")).getText(), "case-blind");
                browser.get(server.url("/admin/machines?q=sn1117"));
                assertEquals(fleet.get(1117).id(), rows(browser).get(0).getAttribute("data-machine"));
                // the firmware filter: a choice of the values present (the firmware column, migration V12)
                browser.get(server.url("/admin/machines"));
                org.openqa.selenium.support.ui.Select firmware = new org.openqa.selenium.support.ui.Select(
                        browser.findElement(By.id("filter-firmware")));
                assertEquals(Set.of("any", "StationBIOS 1.00", "StationBIOS 1.01", "StationBIOS 1.02"),
                        Set.copyOf(firmware.getOptions().stream().map(WebElement::getText).toList()));
                firmware.selectByVisibleText("StationBIOS 1.02");
                HeadlessChromium.submitAndWaitForNextPage(browser, By.id("apply"));
                assertEquals(java.util.stream.IntStream.range(0, 1200).filter(i -> i % 10 == 0 && i % 3 == 2).count()
                        + " machines match.", browser.findElement(By.id("matching")).getText());
                for (WebElement row : rows(browser)) {
                    int i = fleet.stream().map(ConsoleFleet.Generated::id).toList().indexOf(row.getAttribute("data-machine"));
                    assertEquals("StationBIOS 1.02", ConsoleFleet.firmware(i), "row " + i);
                    assertEquals(0, i % 10, "only machines with a boot state");
                }

                browser.get(server.url("/admin/machines?state=REVOKED&sort=name_desc"));
                Set<String> seen = new HashSet<>();
                String previous = null;
                while (true) {
                    for (WebElement row : rows(browser)) {
                        String name = row.findElement(By.cssSelector("td.name")).getText();
                        assertTrue(previous == null || name.compareTo(previous) < 0, name + " after " + previous);
                        previous = name;
                        assertTrue(seen.add(row.getAttribute("data-machine")));
                    }
                    boolean more = !HeadlessChromium.present(browser, By.id("next-page")).isEmpty();
                    if (!more) break;
                    HeadlessChromium.submitAndWaitForNextPage(browser, By.id("next-page"));
                }
                assertEquals(240, seen.size(), "every revoked machine once over five pages");

                browser.get(server.url("/admin/machines?state=PENDING_APPROVAL&sort=oldest"));
                List<WebElement> pending = rows(browser);
                String a = pending.get(0).getAttribute("data-machine");
                String b = pending.get(1).getAttribute("data-machine");
                String c = pending.get(2).getAttribute("data-machine");
                browser.findElement(By.id("pick-" + a)).click();
                browser.findElement(By.id("pick-" + b)).click();
                browser.findElement(By.id("batch-reason")).sendKeys("delivery 7");
                HeadlessChromium.submitAndWaitForNextPage(browser, By.id("batch-approve"));
                assertTrue(browser.findElement(By.id("message")).getText().startsWith("Approved 2 machines"));
                assertEquals(EnrollmentState.ACTIVE, server.state(a));
                assertEquals(EnrollmentState.ACTIVE, server.state(b));

                browser.get(server.url("/admin/machines?state=PENDING_APPROVAL&sort=oldest"));
                String d = rows(browser).get(1).getAttribute("data-machine");
                browser.findElement(By.id("pick-" + c)).click();
                browser.findElement(By.id("pick-" + d)).click();
                assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + d + "/approve",
                        "{\"reason\": \"approved elsewhere\"}").statusCode());
                browser.findElement(By.id("batch-reason")).sendKeys("second delivery");
                HeadlessChromium.submitAndWaitForNextPage(browser, By.id("batch-reject"));
                assertTrue(browser.findElement(By.id("error")).getText().contains(d + " is now ACTIVE"));
                assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(c), "nothing of the batch was applied");
            } finally {
                browser.quit();
            }
        }
    }

    private static List<WebElement> rows(WebDriver browser) {
        browser.findElement(By.id("machines"));
        return browser.findElements(By.cssSelector("#machines tbody tr"));
    }
}
