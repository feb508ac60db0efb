package org.stationtrust.logging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product's one redaction policy: what may leave a process in a log line, an audit record, an error message
 * or a report. Every module applies this class; none keeps its own list (an ArchUnit rule in {@code demo} holds that).
 *
 * <p>Two checks. A value is withheld whole when its <em>key</em> names something secret or biometric
 * ({@link #isSensitiveKey}). Any text, whatever its key, is scrubbed of what looks like a secret
 * ({@link #scrub}): PEM private keys, compact JWS, bearer credentials, the server's prefixed tokens, {@code password=...}-style
 * assignments and long base64 runs (keys, certificates, quotes, images, templates). Hex runs are kept: a SHA-256
 * digest identifies, it does not reveal.
 */
public final class Redaction {
    public static final String REDACTED = "[redacted]";
    /** A value logged under a key is cut here: a log line is no place for a document. */
    public static final int MAX_VALUE_CHARS = 500;
    /** Default budget of {@link #deviceText(String)}. */
    public static final int MAX_DEVICE_CHARS = 80;

    /**
     * Matched anywhere in the key with separators and case removed ("api_token", "X-Auth-Token", "bioValue").
     * Long enough not to occur inside ordinary words.
     */
    private static final List<String> SENSITIVE_PARTS = List.of(
            "password", "passwd", "passphrase", "secret", "token", "authorization", "bearer", "cookie", "csrf",
            "credential", "signature", "jws", "privatekey", "sealed", "session", "biovalue", "biometric", "datakey");
    /** Words that make a key sensitive wherever they stand ("pcrValues", "quoteBody", "ekSerial"). */
    private static final Set<String> SENSITIVE_WORDS = Set.of("pcr", "pcrs", "quote", "quotes", "ek");
    /**
     * Words that make a key sensitive when they are its last word, i.e. the value <em>is</em> one: "sessionKey",
     * "ekCertificate" and "data" are; "keyName" (a public digest) and "packetId" are not.
     */
    private static final Set<String> SENSITIVE_NOUNS = Set.of(
            "key", "keys", "pin", "data", "packet", "image", "images", "frame", "frames", "template", "templates",
            "cert", "certs", "certificate", "certificates", "chain");

    /** A compact JWS/JWT: three base64url segments (the header of ours and of SBI devices starts with eyJ). */
    private static final Pattern JWS = Pattern.compile(
            "eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*|[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    private static final Pattern BEARER = Pattern.compile("(?i)\\bbearer\\s+\\S+");
    /** server-enroll's operator (sta_), station (sts_) and enrollment (ste_) tokens. */
    private static final Pattern PREFIXED_TOKEN = Pattern.compile("\\b(?:st[as]_|ste_)[A-Za-z0-9_-]{8,}");
    /** "password=hunter2", "pin: 1234", "token = x": the assigned value goes. */
    private static final Pattern ASSIGNED_SECRET = Pattern.compile(
            "(?i)\\b(password|passwd|passphrase|pin|secret|token|api[_-]?key)(\\s*[=:]\\s*)(?!\\[redacted\\])[^\\s,;&\"']+");
    /** A PEM private key, whole (its last base64 line can be shorter than a long run). */
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL);
    private static final Pattern LONG_BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{40,}={0,2}");
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");

    private Redaction() {
    }

    /** Whether a value under this key is withheld whole (see the class comment for the three lists). */
    public static boolean isSensitiveKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        StringBuilder joined = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (isAsciiLetterOrDigit(c)) {
                joined.append(Character.toLowerCase(c));
            }
        }
        for (String part : SENSITIVE_PARTS) {
            if (joined.indexOf(part) >= 0) {
                return true;
            }
        }
        List<String> words = words(key);
        if (words.isEmpty()) {
            return false;
        }
        for (String w : words) {
            if (SENSITIVE_WORDS.contains(w)) {
                return true;
            }
        }
        return SENSITIVE_NOUNS.contains(words.get(words.size() - 1));
    }

    /** Free text with every secret-looking run replaced by {@value #REDACTED}; {@code null} stays {@code null}. */
    public static String scrub(String text) {
        if (text == null || text.length() < 5 || !SecretShape.mightHoldOne(text)) {
            return text;
        }
        return scrubAll(text);
    }

    /** {@link #scrub} without its pre-check: every pattern run over the text (what the pre-check is tested against). */
    static String scrubAll(String text) {
        String out = PEM_PRIVATE_KEY.matcher(text).replaceAll(REDACTED);
        out = JWS.matcher(out).replaceAll(REDACTED);
        out = BEARER.matcher(out).replaceAll("Bearer " + REDACTED);
        out = PREFIXED_TOKEN.matcher(out).replaceAll(REDACTED);
        out = ASSIGNED_SECRET.matcher(out).replaceAll("$1$2" + Matcher.quoteReplacement(REDACTED));
        Matcher m = LONG_BASE64.matcher(out);
        StringBuilder sb = new StringBuilder(out.length());
        while (m.find()) {
            m.appendReplacement(sb, HEX.matcher(m.group()).matches() ? m.group() : REDACTED);
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * A value fit for a log line under {@code key}: {@value #REDACTED} if the key is sensitive, otherwise the text
     * scrubbed and cut at {@value #MAX_VALUE_CHARS} characters. Numbers and booleans pass unchanged.
     */
    public static Object value(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (isSensitiveKey(key)) {
            return REDACTED;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof byte[] || value instanceof char[]) {
            return REDACTED;
        }
        String text = scrub(value.toString());
        return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "..." : text;
    }

    /**
     * A copy of structured fields safe to record: values under sensitive keys withheld, nested maps and lists
     * handled the same way, byte arrays withheld, every other value scrubbed (not cut: an audit record keeps it).
     */
    public static Map<String, Object> fields(Map<String, ?> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, isSensitiveKey(k) ? REDACTED : nested(v)));
        return out;
    }

    private static Object nested(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, value) -> {
                String key = String.valueOf(k);
                out.put(key, isSensitiveKey(key) ? REDACTED : nested(value));
            });
            return out;
        }
        if (v instanceof Iterable<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(nested(item)));
            return out;
        }
        if (v instanceof byte[] || v instanceof char[]) {
            return REDACTED;
        }
        return scrub(String.valueOf(v));
    }

    /**
     * Text that came from outside (a device, a peer's error message) made fit for a log line or an operator
     * message: scrubbed, printable ASCII only (anything else becomes '?'), at most {@value #MAX_DEVICE_CHARS}
     * characters followed by the full length. Device text may carry anything, including biometric data.
     */
    public static String deviceText(String value) {
        return deviceText(value, MAX_DEVICE_CHARS);
    }

    /** As {@link #deviceText(String)} with another budget (certificate names need about 160). */
    public static String deviceText(String value, int maxChars) {
        if (value == null) {
            return "(none)";
        }
        String scrubbed = scrub(value);
        StringBuilder out = new StringBuilder(Math.min(scrubbed.length(), maxChars));
        for (int i = 0; i < scrubbed.length() && out.length() < maxChars; i++) {
            char c = scrubbed.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (scrubbed.length() > maxChars) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * "ekCertificate" -> [ek, certificate]; "X-Auth-Token" -> [x, auth, token]; "PCR_VALUES" -> [pcr, values];
     * "PCRValues" -> [pcr, values]. Runs of anything but ASCII letters and digits separate words; inside a run a
     * word ends before an upper-case letter that follows a lower-case letter or digit, and before the last
     * upper-case letter of a capital run that a lower-case letter follows.
     */
    static List<String> words(String key) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= key.length(); i++) {
            char c = i < key.length() ? key.charAt(i) : ' ';
            if (!isAsciiLetterOrDigit(c)) {
                if (start >= 0) {
                    words.add(key.substring(start, i).toLowerCase(Locale.ROOT));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            } else if (i > start && startsWord(key, i)) {
                words.add(key.substring(start, i).toLowerCase(Locale.ROOT));
                start = i;
            }
        }
        return words;
    }

    private static boolean startsWord(String key, int i) {
        char prev = key.charAt(i - 1);
        char c = key.charAt(i);
        if (!isAsciiUpper(c)) {
            return false;
        }
        if (isAsciiLower(prev) || isAsciiDigit(prev)) {
            return true;
        }
        return isAsciiUpper(prev) && i + 1 < key.length() && isAsciiLower(key.charAt(i + 1));
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiUpper(c) || isAsciiLower(c) || isAsciiDigit(c);
    }

    private static boolean isAsciiUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
