package org.stationtrust.sbi.client.internal;

/**
 * The one place where text that came from a device is made fit for a log line or an operator message:
 * printable ASCII only, short. Device text may carry anything, including biometric data, so long
 * values are cut far below the size of any record.
 */
public final class Redaction {
    public static final int MAX_CHARS = 80;

    private Redaction() {
    }

    public static String deviceText(String value) {
        return deviceText(value, MAX_CHARS);
    }

    /** As {@link #deviceText(String)} with a larger budget, for certificate names. */
    public static String deviceText(String value, int maxChars) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars));
        for (int i = 0; i < value.length() && out.length() < maxChars; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (value.length() > maxChars) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
