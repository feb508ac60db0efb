package org.stationtrust.tpm.eventlog;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.stationtrust.tpm.eventlog.internal.Certificates;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * One entry of PK, KEK, db or dbx, or the authority that verified a boot application. Immutable.
 *
 * <p>It keeps the bytes the firmware measured (a certificate's DER, a hash) and renders the hex of
 * {@link #sha256()} and the RFC 2253 {@link #subject()} only when someone reads them: judging a boot
 * compares bytes, and a dbx of a few hundred hashes turned into text for every log cost more than the
 * rest of judging it. Equality is that of the values the accessors return (kind, {@code sha256},
 * {@code subject}, {@code event}), taken from the bytes they are computed from.
 */
public final class SignatureEntry {
    /** What the entry holds. */
    public enum Kind {
        X509, SHA256, OTHER;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final Kind kind;
    /** X509: the DER; SHA256: the hash; OTHER: the signature data. */
    private final byte[] content;
    /** OTHER: "type " and the signature type GUID; else null (the subject is "" or read from the DER). */
    private final String otherType;
    private final int event;
    private volatile byte[] fingerprint;
    private volatile String sha256Hex;
    private volatile String subject;
    private volatile String description;

    private SignatureEntry(Kind kind, byte[] content, String otherType, int event) {
        this.kind = kind;
        this.content = content;
        this.otherType = otherType;
        this.event = event;
    }

    /** A certificate; its fingerprint and subject are read from {@code der} when asked for. */
    public static SignatureEntry certificate(byte[] der, int event) {
        return certificate(der, 0, der.length, event);
    }

    /** A certificate whose DER is bytes [from, to) of {@code bytes} (copied). */
    public static SignatureEntry certificate(byte[] bytes, int from, int to, int event) {
        return new SignatureEntry(Kind.X509, Arrays.copyOfRange(bytes, from, to), null, event);
    }

    /** A SHA-256 hash entry (EFI_CERT_SHA256_GUID), 32 bytes. */
    public static SignatureEntry sha256Hash(byte[] hash, int event) {
        return sha256Hash(hash, 0, hash.length, event);
    }

    /** A SHA-256 hash entry whose hash is bytes [from, to) of {@code bytes} (copied). */
    public static SignatureEntry sha256Hash(byte[] bytes, int from, int to, int event) {
        if (to - from != HashAlgorithm.SHA256.digestLength()) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + (to - from));
        }
        return new SignatureEntry(Kind.SHA256, Arrays.copyOfRange(bytes, from, to), null, event);
    }

    /** An entry of another signature type: named by that type, identified by the SHA-256 of its data. */
    public static SignatureEntry other(String type, byte[] data, int event) {
        return other(type, data, 0, data.length, event);
    }

    /** An entry of another signature type whose data is bytes [from, to) of {@code bytes} (copied). */
    public static SignatureEntry other(String type, byte[] bytes, int from, int to, int event) {
        return new SignatureEntry(Kind.OTHER, Arrays.copyOfRange(bytes, from, to),
                "type " + Objects.requireNonNull(type, "type"), event);
    }

    public Kind kind() {
        return kind;
    }

    /** For a certificate its SHA-256 fingerprint (of the DER), for a hash entry the hash; lower-case hex. */
    public String sha256() {
        String s = sha256Hex;
        if (s == null) {
            s = HexFormat.of().formatHex(sha256Bytes());
            sha256Hex = s;
        }
        return s;
    }

    /** Whether {@link #sha256()} is the hex of {@code digest}, compared as bytes. */
    public boolean sha256Equals(byte[] digest) {
        return MessageDigest.isEqual(sha256Bytes(), digest);
    }

    /** A certificate's RFC 2253 subject, "" for hashes and unreadable certificates, "type GUID" for other types. */
    public String subject() {
        String s = subject;
        if (s == null) {
            s = switch (kind) {
                case X509 -> Certificates.subject(content);
                case SHA256 -> "";
                case OTHER -> otherType;
            };
            subject = s;
        }
        return s;
    }

    /** The index of the event the entry was read from. */
    public int event() {
        return event;
    }

    /** What an admin reads: the subject of a certificate, or the kind and hash. */
    public String describe() {
        String d = description;
        if (d == null) {
            d = kind == Kind.X509 && !subject().isEmpty() ? subject() + " (sha256 " + sha256() + ")"
                    : kind.label + " " + sha256();
            description = d;
        }
        return d;
    }

    /**
     * The same certificate or hash, wherever it was read from (equal but for {@link #event()}): then, and only then,
     * {@link #describe()} says the same (an OTHER entry's type is not part of its description).
     */
    public boolean sameContent(SignatureEntry other) {
        return kind == other.kind && Arrays.equals(content, other.content);
    }

    private byte[] sha256Bytes() {
        byte[] f = fingerprint;
        if (f == null) {
            f = kind == Kind.SHA256 ? content : HashAlgorithm.SHA256.digest(content);
            fingerprint = f;
        }
        return f;
    }

    /**
     * Equal when kind, event and the measured bytes are: the same bytes give the same fingerprint and subject, and
     * (SHA-256 being collision resistant) different bytes of one kind a different fingerprint.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SignatureEntry e && kind == e.kind && event == e.event
                && Arrays.equals(content, e.content) && Objects.equals(otherType, e.otherType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, event, Arrays.hashCode(content), otherType);
    }

    @Override
    public String toString() {
        return "SignatureEntry[kind=" + kind + ", sha256=" + sha256() + ", subject=" + subject() + ", event=" + event
                + "]";
    }
}
