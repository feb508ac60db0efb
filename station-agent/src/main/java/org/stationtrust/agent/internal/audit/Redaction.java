package org.stationtrust.agent.internal.audit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where values are made safe for logs and the audit log: biometric values, keys, tokens,
 * signatures and anything that looks like one never leave the process in a log line.
 */
public final class Redaction {
    public static final String REDACTED = "[redacted]";

    /** Field names (lowercase, without separators) that always hold something secret or biometric. */
    private static final Set<String> SENSITIVE_PARTS = Set.of(
            "biovalue", "biometric", "token", "secret", "password", "passphrase", "privatekey", "authorization",
            "credential", "jws", "signature", "bearer", "sealed", "cookie", "datakey");
    private static final Set<String> SENSITIVE_NAMES = Set.of("data", "key", "packet", "image", "frame");

    /** A compact JWS/JWT: three base64url segments. */
    private static final Pattern JWS = Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");
    /** Long base64 runs carry keys, images or templates; pure hex (a SHA-256 digest) is allowed. */
    private static final Pattern LONG_BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{40,}={0,2}");
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");

    private Redaction() {
    }

    public static boolean isSensitiveName(String fieldName) {
        String n = fieldName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (SENSITIVE_NAMES.contains(n)) return true;
        for (String part : SENSITIVE_PARTS) {
            if (n.contains(part)) return true;
        }
        return false;
    }

    /** Scrubs free text: JWS, bearer tokens and long base64 runs become {@value #REDACTED}. */
    public static String scrub(String text) {
        if (text == null) return null;
        String out = JWS.matcher(text).replaceAll(REDACTED);
        out = BEARER.matcher(out).replaceAll("Bearer " + REDACTED);
        var m = LONG_BASE64.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, HEX.matcher(m.group()).matches() ? m.group() : REDACTED);
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A copy of the fields safe to record: sensitive names redacted, every string scrubbed, nested maps handled. */
    public static Map<String, Object> fields(Map<String, ?> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, isSensitiveName(k) ? REDACTED : value(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean) return v;
        if (v instanceof Map<?, ?> m) return fields((Map<String, ?>) m);
        if (v instanceof Iterable<?> list) {
            java.util.List<Object> out = new java.util.ArrayList<>();
            list.forEach(item -> out.add(value(item)));
            return out;
        }
        if (v instanceof byte[]) return REDACTED;
        return scrub(String.valueOf(v));
    }
}
