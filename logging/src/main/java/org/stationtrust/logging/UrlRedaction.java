package org.stationtrust.logging;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A URL that may carry a credential in its path or query (a chat webhook's {@code /services/T0/B0/<token>}, a
 * {@code ?code=} parameter) as it may be shown or recorded: scheme, host and port kept; the last two path segments
 * and the whole query replaced by {@value Redaction#REDACTED}; a fingerprint (the first 8 hex digits of the SHA-256
 * of the whole URL) so two URLs on one host can be told apart (docs/logging.md, "URLs").
 */
public final class UrlRedaction {
    /** How many trailing path segments are withheld: where chat and CI webhooks put their token. */
    static final int HIDDEN_SEGMENTS = 2;

    private UrlRedaction() {
    }

    /** The shown form of {@code url}; an unparseable or host-less value becomes {@value Redaction#REDACTED} and its fingerprint. */
    public static String of(String url) {
        if (url == null) return Redaction.REDACTED;
        String print = " (sha256:" + fingerprint(url) + ")";
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            return Redaction.REDACTED + print;
        }
        if (u.getScheme() == null || u.getHost() == null) return Redaction.REDACTED + print;
        StringBuilder out = new StringBuilder(u.getScheme().toLowerCase(Locale.ROOT)).append("://").append(u.getHost());
        if (u.getPort() >= 0) out.append(':').append(u.getPort());
        out.append(path(u.getRawPath()));
        if (u.getRawQuery() != null) out.append('?').append(Redaction.REDACTED);
        return out.append(print).toString();
    }

    /**
     * {@code text} (e.g. an HTTP client's error message about a request to {@code url}) with the URL, and its path and
     * query wherever they appear alone, replaced by their shown form: what {@link #of} withholds stays withheld.
     */
    public static String within(String text, String url) {
        if (text == null || url == null || url.isEmpty()) return text;
        String out = text.replace(url, of(url));
        try {
            URI u = new URI(url.strip());
            for (String part : new String[] {u.getRawQuery(), u.getRawPath()}) {
                // a bare "/" or a short path says nothing and would blank unrelated text
                if (part != null && part.length() > 1) out = out.replace(part, Redaction.REDACTED);
            }
        } catch (URISyntaxException e) {
            return out;
        }
        return out;
    }

    /** The first 8 hex digits of the SHA-256 of the URL as given: tells URLs apart, reveals nothing usable. */
    public static String fingerprint(String url) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static String path(String raw) {
        if (raw == null || raw.isEmpty() || raw.equals("/")) return raw == null ? "" : raw;
        String[] segments = raw.substring(1).split("/", -1);
        int shown = Math.max(0, segments.length - HIDDEN_SEGMENTS);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < shown; i++) out.append('/').append(segments[i]);
        return out.append('/').append(Redaction.REDACTED).toString();
    }
}
