package org.stationtrust.ctk.internal.report;

import java.util.List;
import java.util.Locale;
import org.stationtrust.ctk.LabContext;
import org.stationtrust.ctk.Profile;
import org.stationtrust.ctk.RunSettings;
import java.util.Map;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.RunReport;

/**
 * A self-contained report (inline CSS, no script, no external resource) a vendor can send to a
 * certification lab. Written as well-formed XHTML so that any XML parser can read it back.
 */
public final class HtmlReport {
    private static final String CSS = "body{font-family:sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}th,td{border:1px solid #ccc;"
            + "padding:4px 6px;vertical-align:top;text-align:left;font-size:13px}th{background:#eee}"
            + ".PASSED{background:#e3f6e3}.FAILED{background:#fbe1e1}.SKIPPED{background:#f1f1f1;color:#666}"
            + "pre{white-space:pre-wrap;word-break:break-all;font-size:12px;background:#fafafa;padding:6px;"
            + "max-height:30em;overflow:auto}summary{cursor:pointer}";

    private HtmlReport() {
    }

    /** The report; {@code signatureFingerprint} is the harness key that signed the JSON report (null: unsigned). */
    public static String write(RunReport r, String signatureFingerprint) {
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
        b.append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"UTF-8\"/>");
        b.append("<title>SBI compliance report</title><style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>SBI ").append(Xml.esc(r.catalogueSpecVersion())).append(" compliance report</h1>\n");
        if (!r.complete()) {
            b.append("<p class=\"FAILED\"><strong>Partial report: the run was interrupted.</strong></p>\n");
        }
        List<CaseResult> person = r.needingPerson();
        if (!person.isEmpty()) {
            b.append("<div class=\"FAILED\" id=\"needs-person\"><h2>Not yet certifiable: ").append(person.size())
                    .append(" cases need a person</h2><p>This run was non-interactive. A certification also needs these "
                    + "cases, run interactively with a person at the device:</p><ul>");
            for (CaseResult c : person) {
                b.append("<li>").append(Xml.esc(c.id())).append(c.mosipIds().isEmpty() ? "" : " (" + Xml.esc(String.join(", ",
                        c.mosipIds())) + ")").append(": ").append(Xml.esc(c.name())).append("</li>");
            }
            b.append("</ul></div>\n");
        }
        LabContext lab = r.lab();
        RunSettings set = lab.settings();
        b.append("<h2>Summary</h2><table id=\"summary\"><tbody>");
        row(b, "Profile", set.profile().wire() + (set.profile() == Profile.MOSIP
                ? " (what MOSIP's compliance toolkit 1.4.x enforces)" : " (SBI 0.9.5 as written)"));
        row(b, "Device", describe(r.device()));
        row(b, "Tool", r.tool() + " " + lab.toolVersion() + " (build " + lab.toolBuild() + ")");
        row(b, "Catalogue", "version " + lab.catalogueVersion() + ", SBI " + r.catalogueSpecVersion() + ", SHA-256 "
                + lab.catalogueSha256());
        row(b, "Lab", set.lab().isEmpty() ? "(not given: --lab)" : set.lab());
        row(b, "Operator", set.operator().isEmpty() ? "(not given: --operator)" : set.operator());
        row(b, "Settings", String.format(Locale.ROOT, "port %d, deviceId %s, type %s, env %s, algorithms %s, skew %d s, "
                + "grace %d ms, info limit %d ms, case timeout %d s, ready wait %d s, %s", set.port(),
                set.deviceId() == null ? "(first listed)" : set.deviceId(), set.deviceType() == null ? "(any)" : set.deviceType(),
                set.env(), set.algorithms(), set.skew().toSeconds(), set.grace().toMillis(), set.responseLimit().toMillis(),
                set.caseTimeout().toSeconds(), set.readyWait().toSeconds(), set.interactive() ? "interactive" : "non-interactive")
                + (set.organisation().isEmpty() ? "" : ", organisation " + set.organisation()));
        row(b, "Quality assessed", LabContext.ASSESSED);
        row(b, "Not assessed", LabContext.NOT_ASSESSED);
        row(b, "Report signature", signatureFingerprint == null ? "unsigned"
                : "ctk-report.json is signed (detached JWS ctk-report.json.jws, RS256) by the harness key with "
                + "certificate SHA-256 " + signatureFingerprint + "; check with: ctk-harness verify-report ctk-report.json");
        row(b, "Started", r.startedAt().toString());
        row(b, "Finished", r.finishedAt().toString());
        row(b, "Cases", r.results().size() + " (" + r.count(CaseResult.Outcome.PASSED) + " passed, "
                + r.count(CaseResult.Outcome.FAILED) + " failed, " + r.count(CaseResult.Outcome.SKIPPED) + " skipped)");
        row(b, "Verdict", r.exitCode() == 0 ? "PASS: every selected case passed" : "FAIL (exit code " + r.exitCode() + ")");
        row(b, "Time", String.format(Locale.ROOT, "%.1f s in all, %.1f s waiting on the device, %.1f s operator, "
                + "%.1f s harness (%.1f%%)", r.timing().wallMs() / 1000, r.timing().deviceMs() / 1000,
                r.timing().operatorMs() / 1000, r.timing().harnessMs() / 1000, r.timing().harnessPercent()));
        b.append("</tbody></table>\n<h2>Certificates</h2><table id=\"certificates\"><thead><tr><th>role</th><th>subject</th>"
                + "<th>issuer</th><th>serial</th><th>valid from</th><th>valid until</th><th>SHA-256</th></tr></thead><tbody>");
        java.util.stream.Stream.of(lab.deviceCertificates(), set.vendorCas(), set.ftmCas()).flatMap(List::stream).forEach(c ->
                b.append("<tr><td>").append(Xml.esc(c.role())).append("</td><td>").append(Xml.esc(c.subject()))
                        .append("</td><td>").append(Xml.esc(c.issuer())).append("</td><td>").append(Xml.esc(c.serial()))
                        .append("</td><td>").append(c.notBefore()).append("</td><td>").append(c.notAfter())
                        .append("</td><td><code>").append(Xml.esc(c.sha256())).append("</code></td></tr>"));
        b.append("</tbody></table>\n<h2>By category</h2><table><thead><tr><th>category</th><th>passed</th>"
                + "<th>failed</th><th>skipped</th></tr></thead><tbody>");
        Map<String, long[]> byCategory = new java.util.TreeMap<>();
        for (CaseResult c : r.results()) {
            byCategory.computeIfAbsent(c.category(), k -> new long[3])[c.outcome().ordinal()]++;
        }
        byCategory.forEach((category, n) -> b.append(String.format(Locale.ROOT,
                "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td></tr>", Xml.esc(category), n[0], n[1], n[2])));
        b.append("</tbody></table>\n");
        List<CaseResult> cohorts = r.results().stream().filter(c -> "quality-assessment".equals(c.category())
                && c.outcome() != CaseResult.Outcome.SKIPPED).toList();
        if (!cohorts.isEmpty()) {
            // MOSIP's quality-assessment report lists the scores per cohort; ours are the device's own scores.
            b.append("<h2>Quality assessment by cohort (device scores)</h2><table id=\"cohorts\"><thead><tr><th>case</th>"
                    + "<th>MOSIP</th><th>cohort</th><th>outcome</th><th>scores</th></tr></thead><tbody>");
            for (CaseResult c : cohorts) {
                b.append("<tr><td>").append(Xml.esc(c.id())).append("</td><td>").append(Xml.esc(String.join(", ", c.mosipIds())))
                        .append("</td><td>").append(Xml.esc(c.name())).append("</td><td>").append(c.outcome().name())
                        .append("</td><td>").append(Xml.esc(c.actual())).append("</td></tr>");
            }
            b.append("</tbody></table>\n");
        }
        b.append("<h2>Latency per verb (ms)</h2><table><thead><tr><th>verb</th><th>count</th>"
                + "<th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead><tbody>");
        r.latency().forEach((verb, l) -> b.append(String.format(Locale.ROOT,
                "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>",
                Xml.esc(verb), l.count(), l.p50(), l.p90(), l.p99(), l.max())));
        b.append("</tbody></table>\n<h2>Cases</h2><table><thead><tr><th>case</th><th>MOSIP</th><th>outcome</th>"
                + "<th>expected</th><th>actual</th></tr></thead><tbody>\n");
        for (CaseResult c : r.results()) {
            caseRow(b, c);
        }
        b.append("</tbody></table>\n<p>Biometric values (bioValue) and wrapped session keys are elided from the "
                + "exchanges shown; signed parts are shown decoded.</p>\n</body></html>\n");
        return b.toString();
    }

    private static void caseRow(StringBuilder b, CaseResult c) {
        b.append("<tr class=\"").append(c.outcome().name()).append("\" id=\"").append(Xml.esc(c.id())).append("\">");
        b.append("<td><strong>").append(Xml.esc(c.id())).append("</strong><br/>").append(Xml.esc(c.name())).append("</td>");
        b.append("<td>").append(c.ourAddition() ? "our addition" : Xml.esc(String.join(", ", c.mosipIds()))).append("</td>");
        b.append("<td>").append(c.outcome().name()).append(c.warnings().isEmpty() ? "" : " (with warnings)").append("</td>");
        b.append("<td>").append(Xml.esc(c.expected())).append("</td><td>").append(Xml.esc(c.actual()));
        if (!c.reason().isEmpty()) {
            b.append("<br/><em>").append(Xml.esc(c.reason())).append("</em>");
        }
        if (!c.checks().isEmpty() || !c.exchanges().isEmpty()) {
            b.append("<details><summary>checks and exchanges</summary><ul>");
            for (CaseResult.CheckResult k : c.checks()) {
                b.append("<li>").append(Xml.esc(k.check())).append(" ").append(k.status()).append(": ")
                        .append(Xml.esc(k.message())).append("</li>");
            }
            b.append("</ul>");
            for (CaseResult.ExchangeRecord e : c.exchanges()) {
                b.append("<p>").append(Xml.esc(e.verb() + " " + e.path())).append(" &#8594; ")
                        .append(e.status() > 0 ? "HTTP " + e.status() : Xml.esc("no answer: " + e.transportError()))
                        .append(String.format(Locale.ROOT, " in %.1f ms", e.elapsedMs()))
                        .append(Xml.esc(": sent " + e.sentAt()
                                + (e.headersReceivedAt() == null ? ", no headers received" : ", headers received " + e.headersReceivedAt())
                                + ", ended " + e.endedAt())).append("</p>");
                b.append("<pre>").append(Xml.esc(e.request().isEmpty() ? "(no body)" : e.request())).append("</pre>");
                b.append("<pre>").append(Xml.esc(e.response().isEmpty() ? "(no body)" : e.response())).append("</pre>");
            }
            b.append("</details>");
        }
        b.append("</td></tr>\n");
    }

    private static void row(StringBuilder b, String key, String value) {
        b.append("<tr><th>").append(Xml.esc(key)).append("</th><td>").append(Xml.esc(value)).append("</td></tr>");
    }

    private static String describe(Map<String, String> device) {
        StringBuilder s = new StringBuilder();
        device.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return s.toString();
    }
}
