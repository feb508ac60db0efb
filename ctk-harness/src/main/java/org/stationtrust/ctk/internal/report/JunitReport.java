package org.stationtrust.ctk.internal.report;

import java.util.Locale;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.RunReport;

/** JUnit XML (the Ant/Surefire dialect CI servers read): one testcase per catalogue case. */
public final class JunitReport {
    private JunitReport() {
    }

    public static String write(RunReport r) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<testsuites name=\"ctk-harness\" tests=\"%d\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                r.results().size(), r.count(CaseResult.Outcome.FAILED), r.count(CaseResult.Outcome.SKIPPED),
                r.timing().wallMs() / 1000));
        b.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\">%n",
                Xml.esc("SBI " + r.catalogueSpecVersion() + " " + r.device().getOrDefault("type", "") + "/"
                        + r.device().getOrDefault("subType", "")), r.results().size(),
                r.count(CaseResult.Outcome.FAILED), r.count(CaseResult.Outcome.SKIPPED), r.timing().wallMs() / 1000,
                Xml.esc(r.startedAt().toString())));
        for (CaseResult c : r.results()) {
            b.append(String.format(Locale.ROOT, "    <testcase classname=\"ctk.%s\" name=\"%s\" time=\"%.3f\">%n",
                    Xml.esc(c.category()), Xml.esc(c.id() + " " + c.name()), c.durationMs() / 1000));
            if (c.outcome() == CaseResult.Outcome.FAILED) {
                b.append("      <failure message=\"").append(Xml.esc(abbreviate(c.reason()))).append("\">")
                        .append(Xml.esc(c.reason())).append("</failure>\n");
            } else if (c.outcome() == CaseResult.Outcome.SKIPPED) {
                b.append("      <skipped message=\"").append(Xml.esc(c.reason())).append("\"/>\n");
            }
            b.append("      <system-out>").append(Xml.esc("MOSIP: " + String.join(", ", c.mosipIds())
                    + "\nexpected: " + c.expected() + "\nactual: " + c.actual())).append("</system-out>\n");
            b.append("    </testcase>\n");
        }
        return b.append("  </testsuite>\n</testsuites>\n").toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
