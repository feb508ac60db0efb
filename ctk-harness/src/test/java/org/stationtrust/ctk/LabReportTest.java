package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.stationtrust.ctk.testing.MiniJsonSchema;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.SbiFormat;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatorConfig;
import org.stationtrust.testsupport.HeadlessChromium;
import org.w3c.dom.Document;

/**
 * The report a certification lab receives: who judged with what (tool, catalogue digest, profile,
 * settings, lab, operator), which device (identity, certificates with fingerprints), which cases still
 * need a person, and a JSON report whose detached signature verifies and breaks on a one-byte change.
 */
class LabReportTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SimulatedDevice device;
    static RunReport report;
    static JsonNode json;

    @BeforeAll
    static void runAndWriteSignedReports() throws Exception {
        device = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                .format(SbiFormat.MOSIP_STRICT).serialNumber("LAB-SLAP-0042").build());
        List<TestCase> cases = SimulatorFixture.CATALOGUE.select(c -> Set.of("DISC-OWN-TYPE", "INFO-SIGNED",
                "REG-LEFT-SLAP", "STATUS-BUSY", "REG-LEFT-SLAP-TIMEOUT-NO-INPUT", "REG-TRANSACTION-ID-REUSED").contains(c.id()));
        report = SimulatorFixture.harness(device).profile(Profile.MOSIP).lab("Example Biometrics Lab", "A. Tester")
                .vendorCaCertificates(List.of(device.ca().certificate())).catalogue(SimulatorFixture.CATALOGUE)
                .operator(Operator.automatic(), false).build().run(cases);
        Reports.writeAll(report, dir, SimulatorFixture.KEY);
        json = JSON.readTree(dir.resolve(Reports.JSON).toFile());
    }

    @AfterAll
    static void stop() {
        device.close();
    }

    @Test
    void theJsonReportNamesToolCatalogueProfileSettingsLabAndTimes() throws Exception {
        JsonNode schema = JSON.readTree(Reports.class.getResourceAsStream("/report/ctk-report.schema.json"));
        assertEquals(List.of(), MiniJsonSchema.validate(schema, json));
        assertEquals("mosip", json.path("profile").asText());
        assertEquals("mosip", json.path("settings").path("profile").asText());
        assertEquals(180, json.path("settings").path("skewSeconds").asInt(), "the mosip profile's default skew");
        assertFalse(json.path("toolVersion").asText().isBlank());
        byte[] catalogue = SbiCatalogue.bytes();
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(catalogue)),
                json.path("catalogue").path("sha256").asText());
        assertEquals("2.0.0", json.path("catalogue").path("version").asText());
        assertEquals("Example Biometrics Lab", json.path("lab").path("lab").asText());
        assertEquals("A. Tester", json.path("lab").path("operator").asText());
        assertTrue(json.path("startedAt").asText().compareTo(json.path("finishedAt").asText()) <= 0);
        JsonNode d = json.path("device");
        assertEquals("LAB-SLAP-0042", d.path("serialNo").asText());
        assertEquals("LAB-SLAP-0042", d.path("deviceCode").asText());
        for (String field : List.of("deviceProviderId", "certification", "firmware", "serviceVersion", "make", "model")) {
            assertFalse(d.path(field).asText().isBlank(), field + " is in the device summary");
        }
    }

    @Test
    void theReportListsTheDeviceAndVendorCaCertificatesWithFingerprints() {
        List<String> fingerprints = json.path("certificates").findValuesAsText("sha256");
        assertTrue(fingerprints.contains(CertificateFacts.fingerprint(device.deviceCertificate())), fingerprints.toString());
        assertTrue(fingerprints.contains(CertificateFacts.fingerprint(device.ca().certificate())), fingerprints.toString());
        JsonNode deviceCert = json.path("certificates").get(0);
        assertEquals("device", deviceCert.path("role").asText());
        assertEquals(device.deviceCertificate().getSubjectX500Principal().getName(), deviceCert.path("subject").asText());
        assertEquals(device.deviceCertificate().getNotAfter().toInstant().toString(), deviceCert.path("notAfter").asText());
    }

    @Test
    void aNonInteractiveRunListsTheCasesThatStillNeedAPerson() {
        List<String> ids = json.path("needsPerson").findValuesAsText("id");
        assertEquals(List.of("STATUS-BUSY", "REG-LEFT-SLAP-TIMEOUT-NO-INPUT"), ids);
    }

    @Test
    void theSignedJsonVerifiesAndFailsAfterAOneByteChange() throws Exception {
        String fingerprint = CertificateFacts.fingerprint(SimulatorFixture.KEY.certificate());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path reportFile = dir.resolve(Reports.JSON);
        assertEquals(0, Main.execute(new String[] {"verify-report", reportFile.toString()}, new PrintStream(out, true,
                StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(fingerprint), out.toString(StandardCharsets.UTF_8));

        Path copy = Files.createDirectories(dir.resolve("tampered"));
        byte[] bytes = Files.readAllBytes(reportFile);
        int at = new String(bytes, StandardCharsets.UTF_8).indexOf("LAB-SLAP-0042") + 4;
        bytes[at] = (byte) '9';
        Files.write(copy.resolve(Reports.JSON), bytes);
        Files.copy(dir.resolve(Reports.JSON_SIGNATURE), copy.resolve(Reports.JSON_SIGNATURE));
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        assertEquals(1, Main.execute(new String[] {"verify-report", copy.resolve(Reports.JSON).toString()},
                new PrintStream(bad, true, StandardCharsets.UTF_8), System.err));
        assertTrue(bad.toString(StandardCharsets.UTF_8).contains("NOT VERIFIED"), bad.toString(StandardCharsets.UTF_8));

        Files.delete(copy.resolve(Reports.JSON_SIGNATURE));
        assertEquals(1, Main.execute(new String[] {"verify-report", reportFile.resolveSibling("missing.json").toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err));
    }

    @Test
    void theHtmlShowsEveryCaseEveryCertificateFingerprintAndTheSignature() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        Document html = f.newDocumentBuilder().parse(dir.resolve(Reports.HTML).toFile());
        String text = html.getDocumentElement().getTextContent();
        for (CaseResult c : report.results()) {
            assertTrue(text.contains(c.id()), c.id());
        }
        for (JsonNode cert : json.path("certificates")) {
            assertTrue(text.contains(cert.path("sha256").asText()), cert.path("role").asText());
        }
        assertTrue(text.contains(CertificateFacts.fingerprint(SimulatorFixture.KEY.certificate())), "signature fingerprint");
        assertTrue(text.contains(json.path("catalogue").path("sha256").asText()));
        assertTrue(text.contains("2 cases need a person"), "the non-interactive warning");
    }

    @Test
    void headlessChromiumRendersTheSummaryFactsInTheFirstScreen() throws Exception {
        WebDriver browser = HeadlessChromium.start(dir);
        try {
            browser.manage().window().setSize(new Dimension(1400, 1600));
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            browser.get(dir.resolve(Reports.HTML).toUri().toString());
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve("ctk-report.png"), png);
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            assertTrue(shot.getWidth() >= 1000 && shot.getHeight() >= 1000, shot.getWidth() + "x" + shot.getHeight());
            assertTrue(distinctColours(shot) > 4, "the screenshot shows a rendered page, not a blank one");

            WebElement summary = browser.findElement(By.id("summary"));
            String facts = summary.getText();
            for (String fact : List.of("mosip", "LAB-SLAP-0042", "Example Biometrics Lab", "A. Tester", "L0",
                    "SIM-FW-1.0.0", json.path("catalogue").path("sha256").asText(),
                    CertificateFacts.fingerprint(SimulatorFixture.KEY.certificate()))) {
                assertTrue(facts.contains(fact), "summary shows " + fact + ": " + facts);
            }
            WebElement warning = browser.findElement(By.id("needs-person"));
            assertTrue(warning.isDisplayed());
            assertTrue(warning.getRect().getY() + warning.getRect().getHeight() <= shot.getHeight(),
                    "the cases needing a person are inside the first screenshot");
            assertTrue(summary.getRect().getY() < shot.getHeight(), "the summary starts inside the first screenshot");
            assertTrue(browser.findElement(By.id("certificates")).getText()
                    .contains(CertificateFacts.fingerprint(device.deviceCertificate())));
        } finally {
            browser.quit();
        }
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                seen.add(img.getRGB(x, y));
                if (seen.size() > 50) {
                    return seen.size();
                }
            }
        }
        return seen.size();
    }

    /** The built-in catalogue's bytes as shipped. */
    static final class SbiCatalogue {
        static byte[] bytes() throws java.io.IOException {
            try (var in = Catalogue.class.getResourceAsStream("/catalogue/sbi-0.9.5.json")) {
                return in.readAllBytes();
            }
        }
    }
}
