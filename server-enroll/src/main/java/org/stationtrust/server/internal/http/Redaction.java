package org.stationtrust.server.internal.http;

import java.util.regex.Pattern;

/**
 * The one place that decides what may reach a log line. Values under sensitive keys are replaced;
 * free text is scrubbed of bearer tokens, JWS/JWT strings and long base64 runs (keys, quotes, biometrics).
 */
public final class Redaction {
    public static final String REDACTED = "[redacted]";
    private static final Pattern SENSITIVE_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|authorization|cookie|session|signature|jws|private|key|"
                    + "biometric|bio|csrf|credential|pcr|quote|attest|ek|cert).*");
    private static final Pattern JWS = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");
    private static final Pattern TOKEN_PREFIXED = Pattern.compile("\\b(st[as]_|ste_)[A-Za-z0-9_-]{8,}");
    private static final Pattern LONG_BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{40,}={0,2}");

    private Redaction() {
    }

    /** Log keys are a small set of names in our code; the verdict for each is remembered (bounded). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> KEY_VERDICTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    public static boolean isSensitiveKey(String key) {
        if (key == null) return false;
        Boolean known = KEY_VERDICTS.get(key);
        if (known != null) return known;
        boolean sensitive = SENSITIVE_KEY.matcher(key).matches();
        if (KEY_VERDICTS.size() < 1024) KEY_VERDICTS.put(key, sensitive);
        return sensitive;
    }

    public static String value(String key, Object value) {
        if (value == null) return null;
        if (isSensitiveKey(key)) return REDACTED;
        return text(value.toString());
    }

    public static String text(String s) {
        if (s == null) return null;
        // Nothing shorter than "eyJ.." can match any pattern below.
        if (s.length() < 5) return s;
        String out = JWS.matcher(s).replaceAll(REDACTED);
        out = BEARER.matcher(out).replaceAll("Bearer " + REDACTED);
        out = TOKEN_PREFIXED.matcher(out).replaceAll(REDACTED);
        out = LONG_BASE64.matcher(out).replaceAll(REDACTED);
        return out.length() > 500 ? out.substring(0, 500) + "..." : out;
    }
}
