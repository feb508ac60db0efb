package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.ConsoleBrowser;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** A machine's page in a real headless Chromium shows its boot verdict, the rule, the changes and the boot state. */
class MeasuredBootPageTest {
    @RegisterExtension
    final ConsoleBrowser console = new ConsoleBrowser();
    TestServer server;
    WebDriver browser;

    @BeforeEach
    void bind() {
        server = console.server();
        browser = console.browser();
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
        server.fleetBootPolicy();
        SyntheticBoot boot = SyntheticBoot.typical();
        SoftwareStation s = new SoftwareStation();
        s.pcrs().clear();
        s.pcrs().putAll(boot.log(HashAlgorithm.SHA256).pcrs(HashAlgorithm.SHA256));
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        quote(s, id, boot.log(HashAlgorithm.SHA256));
        String answer = quote(s, id, boot.firmware("StationBIOS 1.01",
                "image 1.01".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).log(HashAlgorithm.SHA256));
        assertTrue(answer.contains("PASSED_CHANGED"), answer);

        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/machines/" + id));
        assertEquals("fleet (default)", browser.findElement(By.id("boot-policy")).getText());
        assertEquals("PASSED_CHANGED", browser.findElement(By.id("boot-result")).getText());
        assertTrue(browser.findElement(By.id("boot-changes")).getText().contains("firmware version: + StationBIOS 1.01"));
        assertEquals("ON", browser.findElement(By.id("boot-secure-boot")).getText());
        assertTrue(browser.findElement(By.id("boot-authorities")).getText().contains("CN=Station UEFI CA 2023"));
        List<String> violations = org.stationtrust.server.testing.AxeCore.seriousViolations(browser);
        assertTrue(violations.isEmpty(), "axe-core on the machine page with its measured boot: " + violations);

        // The verdict wrote the machine's firmware column in its transaction: the list filters by the new firmware.
        browser.get(server.url("/admin/machines"));
        org.openqa.selenium.support.ui.Select firmware = new org.openqa.selenium.support.ui.Select(
                browser.findElement(By.id("filter-firmware")));
        assertEquals(java.util.List.of("any", "StationBIOS 1.01"), firmware.getOptions().stream()
                .map(org.openqa.selenium.WebElement::getText).toList(), "the firmware of the last boot only");
        firmware.selectByVisibleText("StationBIOS 1.01");
        console.submit(By.id("apply"));
        assertEquals("1 machines match.", browser.findElement(By.id("matching")).getText());
        assertEquals(id, browser.findElement(By.cssSelector("#machines tbody tr")).getAttribute("data-machine"));
        browser.get(server.url("/admin/machines?firmware=StationBIOS+1.00"));
        assertEquals("0 machines match.", browser.findElement(By.id("matching")).getText(),
                "the firmware before the update no longer matches");
    }

    @Test
    void theMachinePageShowsTheSha1ValuesOfAQuoteBesideTheSha256OnesNamingTheBankTheLogReplayedIn() throws Exception {
        server.fleetBootPolicy();
        SyntheticBoot boot = SyntheticBoot.typical();
        SoftwareStation s = new SoftwareStation();
        java.util.SortedMap<Integer, byte[]> sha256 = new java.util.TreeMap<>(boot.log(HashAlgorithm.SHA256)
                .pcrs(HashAlgorithm.SHA256));
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        // SoftwareStation quotes SHA-256 only: the server's MeasuredBoot judges and records the two-bank quote
        SyntheticEventLog sha1Log = boot.sha1FormatLog();
        org.stationtrust.server.internal.boot.MeasuredBoot measured = new org.stationtrust.server.internal.boot
                .MeasuredBoot(server.db, new org.stationtrust.server.internal.audit.AuditLog(server.db), (c, e) -> { });
        var j = measured.judge(id, java.util.Base64.getEncoder().encodeToString(sha1Log.bytes()), null,
                org.stationtrust.tpm.verify.QuotedPcrs.of(org.stationtrust.tpm.verify.PcrValues.sha256(sha256),
                        org.stationtrust.tpm.verify.PcrValues.sha1(sha1Log.pcrs(HashAlgorithm.SHA1))),
                new java.util.TreeMap<>()).orElseThrow();
        server.db.inTransaction(c -> {
            measured.record(c, id, j, sha256);
            return null;
        });

        console.signIn(Role.ADMIN);
        browser.get(server.url("/admin/machines/" + id));
        assertEquals("PASSED", browser.findElement(By.id("boot-result")).getText());
        String sha1 = browser.findElement(By.id("boot-pcrs-sha1")).getText();
        assertTrue(sha1.contains("7: " + java.util.HexFormat.of().formatHex(sha1Log.pcrs(HashAlgorithm.SHA1).get(7))),
                sha1);
        String sha256Text = browser.findElement(By.id("boot-pcrs-sha256")).getText();
        assertTrue(sha256Text.contains("7: " + java.util.HexFormat.of().formatHex(sha256.get(7))), sha256Text);
        String page = browser.findElement(By.tagName("body")).getText();
        assertTrue(page.contains("Quoted PCRs (sha1, the bank the log replayed in)"), page);
        assertTrue(page.contains("Quoted PCRs (sha256)"), page);
        List<String> violations = org.stationtrust.server.testing.AxeCore.seriousViolations(browser);
        assertTrue(violations.isEmpty(), "axe-core on the machine page with two banks: " + violations);
    }
}
