package org.stationtrust.server.internal.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.server.internal.boot.BootViews;
import org.stationtrust.server.internal.boot.MeasuredBoot;

/**
 * The "Measured boot" part of a machine's page: its policy, the last verdict with the rule and event that decided
 * it, the event-level changes since the last accepted boot, and the boot state (Secure Boot, firmware, authorities,
 * boot applications).
 */
public record BootView(List<MachinePages.Field> fields, boolean judged, List<String> changes,
                       List<MachinePages.Field> state) {

    static BootView of(MeasuredBoot boot, String machineId) {
        var row = boot.store().machine(machineId);
        BootViews.MachineView v = BootViews.machine(machineId, row, boot.policyFor(row), false);
        List<MachinePages.Field> fields = new ArrayList<>();
        fields.add(field("boot-policy", "Policy", v.effectivePolicy() == null ? "none (exact PCR values)"
                : v.effectivePolicy() + (v.policy() == null ? " (default)" : "")));
        BootViews.LastBoot last = v.last();
        if (last == null) return new BootView(List.copyOf(fields), false, List.of(), List.of());
        fields.add(field("boot-result", "Last boot", String.valueOf(last.result())));
        fields.add(field("boot-at", "Judged at", String.valueOf(last.at())));
        if (last.rule() != null) {
            fields.add(field("boot-rule", "Rule", last.rule() + (last.event() == null ? "" : " (event #"
                    + last.event() + ")")));
        }
        fields.add(field("boot-message", "Message", String.valueOf(last.message())));
        List<String> changes = last.changes().stream().map(Names::spelled).toList();
        List<MachinePages.Field> state = new ArrayList<>();
        if (last.bootState() != null) {
            JsonNode s = last.bootState();
            state.add(field("boot-secure-boot", "Secure Boot", s.path("secureBoot").asText()));
            state.add(field("boot-firmware", "Firmware", s.path("firmwareVersions").toString()));
            StringBuilder authorities = new StringBuilder();
            s.path("authorities").forEach(a -> authorities.append(a.path("entry").path("subject").asText())
                    .append(" sha256 ").append(a.path("entry").path("sha256").asText()).append("; "));
            state.add(field("boot-authorities", "Authorities", authorities.toString()));
            StringBuilder apps = new StringBuilder();
            s.path("bootApplications").forEach(a -> apps.append(a.path("path").asText()).append(" sha256 ")
                    .append(a.path("digest").asText()).append("; "));
            state.add(field("boot-applications", "Boot applications", apps.toString()));
            state.add(field("boot-db", "db / dbx", s.path("db").size() + " / " + s.path("dbx").size() + " entries"));
        }
        // the quoted values of each bank, the one the log was replayed in named (SHA-1 for a log without SHA-256)
        String replayed = last.bootState() == null ? "" : last.bootState().path("bank").asText().toLowerCase(
                java.util.Locale.ROOT);
        last.pcrs().forEach((bank, values) -> {
            StringBuilder text = new StringBuilder();
            values.fields().forEachRemaining(p -> text.append(text.length() == 0 ? "" : ", ")
                    .append(p.getKey()).append(": ").append(p.getValue().asText()));
            state.add(field("boot-pcrs-" + bank, "Quoted PCRs (" + bank + (bank.equals(replayed)
                    ? ", the bank the log replayed in)" : ")"), text.toString()));
        });
        return new BootView(List.copyOf(fields), true, List.copyOf(changes), List.copyOf(state));
    }

    /** Every value here may hold text from the station's event log (paths, versions, subjects): spelled out. */
    private static MachinePages.Field field(String id, String label, String value) {
        return new MachinePages.Field(id, label, Names.spelled(value), false);
    }
}
