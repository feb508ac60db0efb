package org.stationtrust.server.internal.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.stationtrust.server.internal.boot.BootViews;
import org.stationtrust.server.internal.boot.MeasuredBoot;

/**
 * The "Measured boot" part of a machine's page: its policy, the last verdict with the rule and event
 * that decided it, the event-level changes since the last accepted boot, and the boot state.
 */
final class BootSection {
    private BootSection() {
    }

    static String html(MeasuredBoot boot, String machineId) {
        var row = boot.store().machine(machineId);
        Map<String, Object> v = BootViews.machine(machineId, row, boot.policyFor(row), false);
        StringBuilder b = new StringBuilder("<h2>Measured boot</h2><table id=\"boot\">");
        field(b, "boot-policy", "Policy", v.get("effectivePolicy") == null ? "none (exact PCR values)"
                : v.get("effectivePolicy") + (v.get("policy") == null ? " (default)" : ""));
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) v.get("last");
        if (last == null) {
            return b.append("</table>").toString();
        }
        field(b, "boot-result", "Last boot", String.valueOf(last.get("result")));
        field(b, "boot-at", "Judged at", String.valueOf(last.get("at")));
        if (last.get("rule") != null) {
            field(b, "boot-rule", "Rule", last.get("rule") + (last.get("event") == null ? "" : " (event #"
                    + last.get("event") + ")"));
        }
        field(b, "boot-message", "Message", String.valueOf(last.get("message")));
        b.append("</table><h3>Changes since the last accepted boot</h3><ul id=\"boot-changes\">");
        for (Object change : (Iterable<?>) last.get("changes")) {
            b.append("<li>").append(Html.esc(String.valueOf(change))).append("</li>");
        }
        b.append("</ul>");
        if (last.get("bootState") instanceof JsonNode state) {
            b.append("<h3>Boot state</h3><table id=\"boot-state\">");
            field(b, "boot-secure-boot", "Secure Boot", state.path("secureBoot").asText());
            field(b, "boot-firmware", "Firmware", state.path("firmwareVersions").toString());
            StringBuilder authorities = new StringBuilder();
            state.path("authorities").forEach(a -> authorities.append(a.path("entry").path("subject").asText())
                    .append(" sha256 ").append(a.path("entry").path("sha256").asText()).append("; "));
            field(b, "boot-authorities", "Authorities", authorities.toString());
            StringBuilder apps = new StringBuilder();
            state.path("bootApplications").forEach(a -> apps.append(a.path("path").asText()).append(" sha256 ")
                    .append(a.path("digest").asText()).append("; "));
            field(b, "boot-applications", "Boot applications", apps.toString());
            field(b, "boot-db", "db / dbx", state.path("db").size() + " / " + state.path("dbx").size() + " entries");
            b.append("</table>");
        }
        return b.toString();
    }

    private static void field(StringBuilder b, String id, String label, String value) {
        b.append("<tr><th>").append(Html.esc(label)).append("</th><td id=\"").append(id).append("\">")
                .append(Html.esc(value)).append("</td></tr>");
    }
}
