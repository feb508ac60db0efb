package org.stationtrust.server.internal.boot;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.stationtrust.tpm.eventlog.SignatureEntry;

/**
 * One entry of a policy's certificate or hash list: {@code sha256:<64 hex>} (a certificate's DER
 * fingerprint, or a dbx hash) or an RFC 2253 subject, compared in canonical form (case and spacing
 * do not matter, RDN order does). A fingerprint names one certificate; a subject names any
 * certificate with that subject, so prefer fingerprints where db can hold others' certificates.
 */
public record AuthorityMatcher(String text, String sha256, X500Principal subject) {
    private static final String PREFIX = "sha256:";

    public AuthorityMatcher {
        Objects.requireNonNull(text, "text");
    }

    static AuthorityMatcher parse(String rule, String text) throws BootPolicyInvalid {
        if (text == null || text.isBlank() || text.length() > 1024) {
            throw new BootPolicyInvalid(rule + ": expected sha256:<64 hex digits> or a certificate subject"
                    + " (at most 1024 characters), got " + (text == null ? "null" : "'" + text + "'"));
        }
        if (text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            String hex = text.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
            if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new BootPolicyInvalid(rule + ": '" + text + "' is not sha256: followed by 64 hex digits");
            }
            return new AuthorityMatcher(text, hex, null);
        }
        try {
            return new AuthorityMatcher(text, null, new X500Principal(text));
        } catch (IllegalArgumentException e) {
            throw new BootPolicyInvalid(rule + ": '" + text + "' is neither sha256:<hex> nor an RFC 2253 subject"
                    + " such as 'CN=Microsoft Windows Production PCA 2011,O=Microsoft Corporation,C=US'");
        }
    }

    public boolean matches(SignatureEntry entry) {
        return sha256 != null ? entry.sha256Equals(HexFormat.of().parseHex(sha256)) : subjectMatches(entry);
    }

    /** Whether any of {@code entries} matches (a dbx of hundreds of hashes: compared as bytes, parsed once). */
    public boolean matchesAny(List<SignatureEntry> entries) {
        if (sha256 == null) {
            return entries.stream().anyMatch(this::subjectMatches);
        }
        byte[] digest = HexFormat.of().parseHex(sha256);
        for (SignatureEntry e : entries) {
            if (e.sha256Equals(digest)) {
                return true;
            }
        }
        return false;
    }

    private boolean subjectMatches(SignatureEntry entry) {
        if (entry.kind() != SignatureEntry.Kind.X509 || entry.subject().isEmpty()) {
            return false;
        }
        try {
            return subject.equals(new X500Principal(entry.subject()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
