package org.stationtrust.server.internal.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.stationtrust.server.internal.audit.DecisionReason;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.BootStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineStore;

/**
 * What an admin changes about measured boot: policies (saved only when they load), the default, each
 * machine's assignment, and accepting a pinned boot for every machine of a firmware version. Every
 * change is audited in its own transaction.
 */
public final class BootAdministration {
    private final Database db;
    private final MeasuredBoot boot;
    private final MachineStore machines;
    private final AuditLog audit;

    public BootAdministration(Database db, MeasuredBoot boot, MachineStore machines, AuditLog audit) {
        this.db = db;
        this.boot = boot;
        this.machines = machines;
        this.audit = audit;
    }

    public BootStore.StoredPolicy putPolicy(Caller who, String name, byte[] document) {
        BootPolicy p;
        try {
            p = BootPolicy.parse(document);
        } catch (BootPolicyInvalid e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Boot policy refused: " + e.getMessage());
        }
        if (!p.name().equals(name)) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "The policy's name '" + p.name() + "' is not the name in"
                    + " the path '" + name + "'");
        }
        String text = new String(document, StandardCharsets.UTF_8);
        db.inTransaction(c -> {
            boot.store().putPolicy(c, name, text, who.username());
            audit.append(c, who.username(), "boot_policy.put", name, AuditOutcome.OK, text.length() > 2000
                    ? text.substring(0, 2000) + "..." : text);
            return null;
        });
        return boot.store().policy(name).orElseThrow();
    }

    public void makeDefault(Caller who, String name, String reason) {
        String why = DecisionReason.require(reason);
        requirePolicy(name);
        db.inTransaction(c -> {
            boot.store().setDefault(c, name);
            audit.append(c, who.username(), "boot_policy.default", name, AuditOutcome.OK, why);
            return null;
        });
    }

    /** Assigns a policy to a machine, or (null) returns it to the default. */
    public void assign(Caller who, String machineId, String policyName, String reason) {
        String why = DecisionReason.require(reason);
        if (policyName != null) {
            requirePolicy(policyName);
        }
        requireMachine(machineId);
        db.inTransaction(c -> {
            boot.store().assign(c, machineId, policyName);
            audit.append(c, who.username(), "boot_policy.assign", machineId, AuditOutcome.OK,
                    (policyName == null ? "default policy" : "policy " + policyName) + ": " + why);
            return null;
        });
    }

    /**
     * The machine's last boot failed only on its exact pins: add a pin of its quoted PCRs for its firmware
     * version to its policy, so every machine of that model and version with the same values passes.
     */
    public BootStore.StoredPolicy acceptModel(Caller who, String machineId, String reason) {
        String why = DecisionReason.require(reason);
        requireMachine(machineId);
        BootStore.MachineBoot m = boot.store().machine(machineId).orElseThrow(() -> notPinned(machineId));
        if (!"pins".equals(m.lastRule()) || m.lastState() == null || m.lastPcrs() == null) {
            throw notPinned(machineId);
        }
        BootPolicy policy = boot.policyFor(Optional.of(m)).orElseThrow(() -> notPinned(machineId));
        BootStore.StoredPolicy stored = boot.store().policy(policy.name()).orElseThrow();
        JsonNode state = BootViews.tree(m.lastState());
        JsonNode versions = state.get("firmwareVersions");
        if (versions == null || !versions.isArray() || versions.isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "The machine's log names no firmware version, so its boot"
                    + " cannot be accepted per model; pin its values in the policy by hand");
        }
        String version = versions.get(0).asText();
        SortedMap<Integer, byte[]> quoted = PcrMap.fromJson(m.lastPcrs());
        ObjectNode doc = (ObjectNode) BootViews.tree(stored.document());
        ObjectNode pin = doc.objectNode();
        pin.put("firmwareVersion", version);
        ObjectNode pcrs = pin.putObject("pcrs");
        for (int index : pinnedIndices(policy)) {
            byte[] v = quoted.get(index);
            if (v != null) {
                pcrs.put(String.valueOf(index), HexFormat.of().formatHex(v));
            }
        }
        ArrayNode pins = doc.has("pins") ? (ArrayNode) doc.get("pins") : doc.putArray("pins");
        pins.add(pin);
        byte[] updated = EventLogCommand.json(doc).getBytes(StandardCharsets.UTF_8);
        try {
            BootPolicy.parse(updated);
        } catch (BootPolicyInvalid e) {
            throw new ApiException(ErrorCode.CONFLICT, "The accepted pin does not make a valid policy: " + e.getMessage());
        }
        db.inTransaction(c -> {
            boot.store().putPolicy(c, policy.name(), new String(updated, StandardCharsets.UTF_8), who.username());
            audit.append(c, who.username(), "boot_policy.accept_model", policy.name(), AuditOutcome.OK,
                    "firmware '" + version
                    + "' with PCRs " + pcrs.size() + " pinned from machine " + machineId + ": " + why);
            return null;
        });
        return boot.store().policy(policy.name()).orElseThrow();
    }

    /** The PCRs the policy's pins already name (all pins pin the same ones), else the replayed ones. */
    private static List<Integer> pinnedIndices(BootPolicy p) {
        return p.pins().isEmpty() ? List.copyOf(p.replayPcrs()) : List.copyOf(p.pins().get(0).pcrs().keySet());
    }

    private static ApiException notPinned(String machineId) {
        return new ApiException(ErrorCode.CONFLICT, "Machine " + machineId + "'s last boot did not fail on the 'pins'"
                + " rule alone with a verified log; there is nothing to accept per model");
    }

    private void requirePolicy(String name) {
        if (!BootPolicy.isValidName(name) || boot.store().policy(name).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No boot policy named '" + clip(name) + "'");
        }
    }

    private void requireMachine(String machineId) {
        if (machineId == null || machineId.length() > 40 || machines.findEnrollment(machineId).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No machine with that id");
        }
    }


    private static String clip(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
