package org.stationtrust.ctk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small structural JSON Schema validator for the keywords our report schema uses: type (one or a
 * list), required, properties, additionalProperties (false or a schema), items, enum. No schema
 * library is pinned in the build, so the report test validates with this.
 */
public final class MiniJsonSchema {
    private MiniJsonSchema() {
    }

    public static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "$", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode v, String at, List<String> problems) {
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, v)) {
            problems.add(at + ": expected type " + type + ", was " + v.getNodeType());
            return;
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && v.isTextual() && !java.util.regex.Pattern.compile(pattern.asText()).matcher(v.asText()).find()) {
            problems.add(at + ": '" + v.asText() + "' does not match " + pattern.asText());
        }
        JsonNode en = schema.get("enum");
        if (en != null) {
            boolean found = false;
            for (JsonNode option : en) {
                found |= option.equals(v) || (option.isNumber() && v.isNumber() && option.asLong() == v.asLong());
            }
            if (!found) {
                problems.add(at + ": " + v + " is not one of " + en);
            }
        }
        if (v.isObject()) {
            for (JsonNode req : schema.path("required")) {
                if (!v.has(req.asText())) {
                    problems.add(at + ": missing required '" + req.asText() + "'");
                }
            }
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Map.Entry<String, JsonNode> f : v.properties()) {
                if (props.has(f.getKey())) {
                    check(props.get(f.getKey()), f.getValue(), at + "." + f.getKey(), problems);
                } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(at + ": unexpected property '" + f.getKey() + "'");
                } else if (additional != null && additional.isObject()) {
                    check(additional, f.getValue(), at + "." + f.getKey(), problems);
                }
            }
        }
        if (v.isArray() && schema.has("items")) {
            for (int i = 0; i < v.size(); i++) {
                check(schema.get("items"), v.get(i), at + "[" + i + "]", problems);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, v)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> false;
        };
    }
}
