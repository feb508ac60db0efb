package org.stationtrust.tpm.eventlog.internal;

import javax.security.auth.x500.X500Principal;
import org.stationtrust.tpm.eventlog.SignatureEntry;

/**
 * The subject and SHA-256 fingerprint of a DER certificate measured by the firmware. Only the path to the
 * subject is walked (RFC 5280 §4.1: Certificate, TBSCertificate, then version, serial, signature, issuer,
 * validity, subject), bounded by each element's length; no signature is checked: the firmware, not us,
 * decided to trust the certificate, we report which one it was. A full certificate parse per entry would
 * cost more than the rest of judging a log.
 */
public final class Certificates {
    private static final int SEQUENCE = 0x30;
    private static final int VERSION = 0xa0;

    private Certificates() {
    }

    /** The entry of a certificate; its fingerprint and subject are computed when first read. */
    public static SignatureEntry entry(byte[] der, int eventIndex) {
        return SignatureEntry.certificate(der, eventIndex);
    }

    /** RFC 2253 subject, or "" when the bytes are not a certificate (the fingerprint still names them). */
    public static String subject(byte[] der) {
        int[] tbs = element(der, 0, der.length, SEQUENCE);
        int[] inner = tbs == null ? null : element(der, tbs[0], tbs[1], SEQUENCE);
        if (inner == null) {
            return "";
        }
        int at = inner[0];
        int end = inner[1];
        int[] e = element(der, at, end, VERSION);
        if (e != null) {
            at = e[1];
        }
        for (int skip = 0; skip < 4 && at >= 0; skip++) { // serial, signature, issuer, validity
            e = element(der, at, end, -1);
            at = e == null ? -1 : e[1];
        }
        int[] subject = at < 0 ? null : element(der, at, end, SEQUENCE);
        if (subject == null) {
            return "";
        }
        try {
            byte[] name = java.util.Arrays.copyOfRange(der, at, subject[1]);
            return new X500Principal(name).getName(X500Principal.RFC2253);
        } catch (IllegalArgumentException e2) {
            return "";
        }
    }

    /**
     * The DER element at {@code at} (tag {@code tag}, or any when -1) within [at, end): {content start, element end},
     * or null when it is not there or its length runs past {@code end}.
     */
    private static int[] element(byte[] d, int at, int end, int tag) {
        if (at + 2 > end || (tag >= 0 && (d[at] & 0xff) != tag)) {
            return null;
        }
        int first = d[at + 1] & 0xff;
        int pos = at + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7f;
            if (bytes < 1 || bytes > 3 || pos + bytes > end) {
                return null;
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (d[pos++] & 0xff);
            }
        }
        if (length > end - pos) {
            return null;
        }
        return new int[] {pos, pos + (int) length};
    }
}
