package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.ctk.testing.MiniJsonSchema;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The three report files, written from a real run with passed, failed and skipped cases. */
class ReportsTest {
    @TempDir
    static Path dir;
    static RunReport report;

    @BeforeAll
    static void runAFewCasesWithOneFault() throws Exception {
        List<TestCase> cases = new ArrayList<>(SimulatorFixture.CATALOGUE.select(c ->
                List.of("DISC-OWN-TYPE", "INFO-SIGNED", "REG-LEFT-SLAP", "REG-LEFT-SLAP-QUALITY", "STATUS-BUSY",
                        "AUTH-FACE", "ROBUST-MALFORMED-JSON").contains(c.id())));
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FINGER_SLAP, "Registration", FaultMode.LOW_QUALITY)) {
            report = SimulatorFixture.harness(device).build().run(cases);
        }
        Reports.writeAll(report, dir);
        assertTrue(report.count(CaseResult.Outcome.PASSED) > 0);
        assertTrue(report.count(CaseResult.Outcome.FAILED) > 0);
        assertTrue(report.count(CaseResult.Outcome.SKIPPED) > 0);
    }

    private static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        return b.parse(file.toFile());
    }

    @Test
    void htmlIsWellFormedAndShowsEveryCase() throws Exception {
        Document html = parseXml(dir.resolve(Reports.HTML));
        NodeList rows = html.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "tr");
        Set<String> shown = new HashSet<>();
        for (int i = 0; i < rows.getLength(); i++) {
            String id = ((Element) rows.item(i)).getAttribute("id");
            if (!id.isEmpty()) {
                shown.add(id + ":" + ((Element) rows.item(i)).getAttribute("class"));
            }
        }
        for (CaseResult r : report.results()) {
            assertTrue(shown.contains(r.id() + ":" + r.outcome()), r.id() + " missing from the HTML report");
        }
        assertTrue(Files.readString(dir.resolve(Reports.HTML)).contains("low quality"), "failure reason shown");
    }

    @Test
    void junitXmlReadsBackWithOneTestcasePerCase() throws Exception {
        Document xml = parseXml(dir.resolve(Reports.JUNIT));
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertEquals(String.valueOf(report.results().size()), suite.getAttribute("tests"));
        assertEquals(String.valueOf(report.count(CaseResult.Outcome.FAILED)), suite.getAttribute("failures"));
        assertEquals(report.results().size(), xml.getElementsByTagName("testcase").getLength());
        assertEquals(report.count(CaseResult.Outcome.FAILED), xml.getElementsByTagName("failure").getLength());
        assertEquals(report.count(CaseResult.Outcome.SKIPPED), xml.getElementsByTagName("skipped").getLength());
    }

    @Test
    void jsonMatchesItsSchema() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode schema = m.readTree(Reports.class.getResourceAsStream("/report/ctk-report.schema.json"));
        JsonNode json = m.readTree(dir.resolve(Reports.JSON).toFile());
        assertEquals(List.of(), MiniJsonSchema.validate(schema, json));
        assertEquals(report.results().size(), json.path("results").size());
        assertEquals(1, json.path("exitCode").asInt());
    }

    @Test
    void theSchemaCheckerCatchesABrokenReport() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode schema = m.readTree(Reports.class.getResourceAsStream("/report/ctk-report.schema.json"));
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(dir.resolve(Reports.JSON).toFile());
        json.put("exitCode", "zero");
        json.remove("summary");
        List<String> problems = MiniJsonSchema.validate(schema, json);
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void noReportCarriesABiometricValue() throws Exception {
        Pattern bioValue = Pattern.compile("\"bioValue\"\\s*:\\s*\"(?!<bioValue elided)");
        for (String f : List.of(Reports.HTML, Reports.JSON, Reports.JUNIT)) {
            String text = Files.readString(dir.resolve(f)).replace("&quot;", "\"").replace("&lt;", "<").replace("\\\"", "\"");
            assertFalse(bioValue.matcher(text).find(), f + " shows a bioValue");
        }
        assertTrue(Files.readString(dir.resolve(Reports.JSON)).contains("bioValue elided"));
    }

    @Test
    void markupAndControlCharactersFromAHostileDeviceStayTextInHtmlAndJunitXml(@TempDir Path out) throws Exception {
        String hostile = "</pre><script>alert(1)</script><![CDATA[ ]]> \u0000\u0007 & \"'";
        CaseResult first = report.results().get(0);
        CaseResult bent = new CaseResult(first.id(), first.name(), first.category(), first.purpose(), first.mosipIds(),
                CaseResult.Outcome.FAILED, "device said " + hostile, "expected", hostile, List.of(
                        new CaseResult.CheckResult("schema", "FAIL", hostile)), List.of(new CaseResult.ExchangeRecord(
                        "MOSIPDINFO", "/info", 200, 1.0, "2026-01-01T10:00:00.000Z", "2026-01-01T10:00:00.001Z",
                        "2026-01-01T10:00:00.001Z", hostile, hostile, null)), 1.0);
        List<CaseResult> results = new ArrayList<>(report.results());
        results.set(0, bent);
        RunReport hostileRun = new RunReport(report.tool(), report.catalogueSpecVersion(), report.startedAt(),
                report.finishedAt(), report.complete(), java.util.Map.of("type", hostile), results, report.latency(),
                report.timing(), report.lab());
        Reports.writeAll(hostileRun, out);

        Document html = parseXml(out.resolve(Reports.HTML));
        assertEquals(0, html.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "script").getLength());
        assertTrue(html.getDocumentElement().getTextContent().contains("<script>alert(1)</script>"),
                "the device's text is shown as text");
        Document junit = parseXml(out.resolve(Reports.JUNIT));
        assertEquals(0, junit.getElementsByTagName("script").getLength());
        assertTrue(junit.getDocumentElement().getTextContent().contains("device said </pre><script>"));
    }
}
