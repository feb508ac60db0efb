package org.stationtrust.scanner.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stationtrust.scanner.FindingKind;

/**
 * Secrets recognisable by their textual shape. Each rule is found by a literal anchor first (a plain
 * {@code indexOf}, fast on megabytes of base64) and then checked with a bounded regular expression at that
 * place, so a match is never longer than {@link #LONGEST} and a chunked scan with that overlap misses none.
 */
public final class TextRules {
    public static final int LONGEST = 600;

    /** A textual rule: what it finds, its literal start (lower case when case-insensitive) and its full shape. */
    record Rule(FindingKind kind, String anchor, boolean ignoreCase, boolean standalone, Pattern shape) {
    }

    private static final List<Rule> RULES = List.of(
            // RFC 7468 §2 labels: PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA/EC/DSA/OPENSSH PRIVATE KEY.
            new Rule(FindingKind.PEM_PRIVATE_KEY, "-----BEGIN ", false, false, Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----")),
            // server-enroll tokens: prefix + base64url of 32 random bytes (43 characters); inside a longer
            // base64url run "sta_" is chance, so the prefix must not follow a base64url character.
            new Rule(FindingKind.OPERATOR_API_TOKEN, "sta_", false, true, Pattern.compile("sta_[A-Za-z0-9_-]{40,64}")),
            new Rule(FindingKind.ENROLLMENT_TOKEN, "ste_", false, true, Pattern.compile("ste_[A-Za-z0-9_-]{40,64}")),
            // RFC 6750 §2.1 b64token; "Bearer [redacted]" and "Bearer <token>" placeholders do not match.
            new Rule(FindingKind.BEARER_CREDENTIAL, "bearer", true, true, Pattern.compile("(?i)bearer[ \\t]{1,8}[A-Za-z0-9._~+/-]{16,512}")));

    private TextRules() {
    }

    /** Calls {@code hit} for every rule match that starts before {@code reportLimit} (a char index in {@code text}). */
    public static void search(String text, int reportLimit, Match hit) {
        String lower = null;
        for (Rule rule : RULES) {
            String haystack = text;
            if (rule.ignoreCase()) {
                if (lower == null) lower = text.toLowerCase(Locale.ROOT);
                haystack = lower;
            }
            Matcher m = rule.shape().matcher(text);
            for (int at = haystack.indexOf(rule.anchor()); at >= 0 && at < reportLimit; at = haystack.indexOf(rule.anchor(), at + 1)) {
                if (rule.standalone() && at > 0 && isBase64Url(text.charAt(at - 1))) continue;
                m.region(at, Math.min(text.length(), at + LONGEST));
                if (m.lookingAt()) hit.at(rule.kind(), at);
            }
        }
    }

    private static boolean isBase64Url(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /** A rule match. */
    @FunctionalInterface
    public interface Match {
        void at(FindingKind kind, int position);
    }
}
