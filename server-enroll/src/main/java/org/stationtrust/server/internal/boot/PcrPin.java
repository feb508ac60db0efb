package org.stationtrust.server.internal.boot;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Exact SHA-256 PCR values, optionally for one firmware version only (the log's EV_S_CRTM_VERSION):
 * an admin accepting a firmware update for one laptop model adds a pin for the new version.
 */
public record PcrPin(Optional<String> firmwareVersion, SortedMap<Integer, byte[]> pcrs) {
    private static final int MAX_PINS = 256;

    public PcrPin {
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        SortedMap<Integer, byte[]> copy = new TreeMap<>();
        pcrs.forEach((k, v) -> copy.put(k, v.clone()));
        pcrs = Collections.unmodifiableSortedMap(copy);
    }

    /** Whether the firmware version fits and every pinned PCR has exactly the quoted value. */
    public boolean matches(List<String> versions, Map<Integer, byte[]> quoted) {
        if (firmwareVersion.isPresent() && !versions.contains(firmwareVersion.get())) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> e : pcrs.entrySet()) {
            byte[] q = quoted.get(e.getKey());
            if (q == null || !MessageDigest.isEqual(q, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    static List<PcrPin> list(JsonNode n) throws BootPolicyInvalid {
        if (n == null) {
            return List.of();
        }
        if (!n.isArray() || n.size() > MAX_PINS) {
            throw new BootPolicyInvalid("pins: expected an array of at most " + MAX_PINS
                    + " objects {\"firmwareVersion\": optional string, \"pcrs\": {\"0\": \"<sha256 hex>\", ...}}");
        }
        List<PcrPin> out = new ArrayList<>();
        for (JsonNode pin : n) {
            out.add(one(pin));
        }
        return out;
    }

    private static PcrPin one(JsonNode pin) throws BootPolicyInvalid {
        if (!pin.isObject()) {
            throw new BootPolicyInvalid("pins: expected objects, got " + pin);
        }
        for (Iterator<String> it = pin.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("firmwareVersion", "pcrs").contains(f)) {
                throw new BootPolicyInvalid("pins: unknown field '" + f + "'; expected firmwareVersion and pcrs");
            }
        }
        JsonNode version = pin.get("firmwareVersion");
        if (version != null && (!version.isTextual() || version.textValue().isEmpty())) {
            throw new BootPolicyInvalid("pins.firmwareVersion: expected a non-empty string, got " + version);
        }
        JsonNode pcrs = pin.get("pcrs");
        if (pcrs == null || !pcrs.isObject() || pcrs.isEmpty()) {
            throw new BootPolicyInvalid("pins.pcrs: expected an object of PCR index to SHA-256 hex value");
        }
        SortedMap<Integer, byte[]> values = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = pcrs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int index = index(e.getKey());
            byte[] value = e.getValue().isTextual() ? hex(e.getValue().textValue()) : null;
            if (value == null || value.length != 32) {
                throw new BootPolicyInvalid("pins.pcrs." + e.getKey() + ": expected 64 hex digits (SHA-256), got "
                        + e.getValue());
            }
            values.put(index, value);
        }
        return new PcrPin(Optional.ofNullable(version).map(JsonNode::textValue), values);
    }

    private static int index(String key) throws BootPolicyInvalid {
        if (!key.matches("[0-9]{1,2}") || Integer.parseInt(key) > 23) {
            throw new BootPolicyInvalid("pins.pcrs: expected PCR indices 0..23, got '" + key + "'");
        }
        return Integer.parseInt(key);
    }

    private static byte[] hex(String text) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
