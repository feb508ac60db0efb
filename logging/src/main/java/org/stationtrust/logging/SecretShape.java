package org.stationtrust.logging;

/**
 * A one-pass pre-check for {@link Redaction#scrub}: false only when none of its patterns can match, so the text is
 * returned as it is without running them. Most log text (routes, ids, digests, event names) holds nothing a pattern
 * looks for, and running six regular expressions over it was the larger part of writing a request's log line. Each
 * condition below is implied by one pattern matching; a true answer only means the patterns run.
 */
final class SecretShape {
    /** The shortest base64 run {@code LONG_BASE64} redacts. */
    private static final int LONG_RUN = 40;
    /** The shortest segment of the three-segment {@code JWS} alternative. */
    private static final int JWS_SEGMENT = 8;

    private SecretShape() {
    }

    static boolean mightHoldOne(String text) {
        int urlSafeRun = 0;
        int longestUrlSafeRun = 0;
        int base64Run = 0;
        int longestBase64Run = 0;
        int dots = 0;
        boolean assignment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean urlSafe = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            urlSafeRun = urlSafe ? urlSafeRun + 1 : 0;
            longestUrlSafeRun = Math.max(longestUrlSafeRun, urlSafeRun);
            base64Run = urlSafe || c == '+' || c == '/' ? base64Run + 1 : 0;
            longestBase64Run = Math.max(longestBase64Run, base64Run);
            if (c == '.') {
                dots++;
            } else if (c == '=' || c == ':') {
                assignment = true;
            }
        }
        return longestBase64Run >= LONG_RUN
                || dots >= 2 && longestUrlSafeRun >= JWS_SEGMENT
                || text.contains("eyJ")
                || text.contains("-----BEGIN ")
                || text.contains("sta_") || text.contains("sts_") || text.contains("ste_")
                || containsIgnoreCase(text, "bearer")
                || assignment && (containsIgnoreCase(text, "pass") || containsIgnoreCase(text, "pin")
                        || containsIgnoreCase(text, "secret") || containsIgnoreCase(text, "token")
                        || containsIgnoreCase(text, "api"));
    }

    /** Case-insensitive containment; it matches at least what the patterns' ASCII-only {@code (?i)} matches. */
    private static boolean containsIgnoreCase(String text, String word) {
        for (int i = 0; i + word.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }
}
