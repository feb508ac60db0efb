package org.stationtrust.tpm.eventlog;

import java.util.Objects;

/**
 * One entry of PK, KEK, db or dbx, or the authority that verified a boot application.
 *
 * @param sha256 for a certificate its SHA-256 fingerprint (of the DER), for a hash entry the hash
 * @param subject a certificate's RFC 2253 subject, "" for hashes and unreadable certificates
 * @param event the index of the event it was read from
 */
public record SignatureEntry(Kind kind, String sha256, String subject, int event) {
    public enum Kind {
        X509, SHA256, OTHER;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    public SignatureEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(subject, "subject");
    }

    /** What an admin reads: the subject of a certificate, or the kind and hash. */
    public String describe() {
        return kind == Kind.X509 && !subject.isEmpty() ? subject + " (sha256 " + sha256 + ")"
                : kind.label + " " + sha256;
    }
}
