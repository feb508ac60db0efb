package org.stationtrust.server.internal.pcr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** SHA-256 PCR values by index: parsed from the wire (base64 values), stored as JSON with hex values. */
public final class PcrMap {
    public static final int MAX_INDEX = 23;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PcrMap() {
    }

    /** Wire form {"0": "<base64 32 bytes>", ...}: indices 0..23, each value exactly 32 bytes. */
    public static SortedMap<Integer, byte[]> fromWire(Map<String, String> wire) {
        return fromWire(wire, "pcrs", 32);
    }

    /** Wire form of one bank ({@code field} names it in errors): indices 0..23, each value {@code length} bytes. */
    public static SortedMap<Integer, byte[]> fromWire(Map<String, String> wire, String field, int length) {
        if (wire == null || wire.isEmpty()) throw new IllegalArgumentException("Field '" + field + "' needs at least one PCR");
        if (wire.size() > MAX_INDEX + 1) throw new IllegalArgumentException("Field '" + field + "' has more than 24 entries");
        SortedMap<Integer, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, String> e : wire.entrySet()) {
            int index = index(e.getKey());
            byte[] v;
            try {
                v = Base64.getDecoder().decode(e.getValue() == null ? "" : e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("PCR " + index + " of '" + field + "' is not base64");
            }
            if (v.length != length) throw new IllegalArgumentException("PCR " + index + " of '" + field + "' must be "
                    + length + " bytes, was " + v.length);
            out.put(index, v);
        }
        return out;
    }

    /** Admin form {"0": "<hex>"}: same rules, hex values. */
    public static SortedMap<Integer, byte[]> fromHexJson(Map<String, String> hex) {
        if (hex == null || hex.isEmpty()) throw new IllegalArgumentException("Golden values need at least one PCR");
        SortedMap<Integer, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, String> e : hex.entrySet()) {
            int index = index(e.getKey());
            byte[] v;
            try {
                v = HexFormat.of().parseHex(e.getValue() == null ? "" : e.getValue().strip());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("PCR " + index + " is not hex");
            }
            if (v.length != 32) throw new IllegalArgumentException("PCR " + index + " must be 32 bytes, was " + v.length);
            out.put(index, v);
        }
        return out;
    }

    private static int index(String key) {
        try {
            int i = Integer.parseInt(key);
            if (i < 0 || i > MAX_INDEX) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("PCR index must be 0..23, was '" + (key.length() > 8 ? key.substring(0, 8)
                    : key) + "'");
        }
    }

    public static String toJson(SortedMap<Integer, byte[]> pcrs) {
        Map<String, String> m = new LinkedHashMap<>();
        pcrs.forEach((k, v) -> m.put(Integer.toString(k), HexFormat.of().formatHex(v)));
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SortedMap<Integer, byte[]> fromJson(String json) {
        if (json == null) return new TreeMap<>();
        try {
            return fromHexJson(MAPPER.readValue(json, new TypeReference<Map<String, String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored PCR values are not valid JSON", e);
        }
    }

    /** Readable form for the admin page: "0=ab12…, 7=…". */
    public static Map<Integer, String> toHex(String json) {
        Map<Integer, String> out = new TreeMap<>();
        fromJson(json).forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }
}
