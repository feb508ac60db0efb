package org.stationtrust.server.internal.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One row of the audit chain; {@code hash} covers every other field, including the previous hash. */
public record AuditEvent(long seq, long at, String actor, String action, String subject, String outcome,
                         String detail, String prevHash, String hash) {

    /** SHA-256 over length-prefixed fields, so no two different rows can encode alike. */
    public static String hashOf(long seq, long at, String actor, String action, String subject, String outcome,
                                String detail, String prevHash) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {Long.toString(seq), Long.toString(at), actor, action, subject,
                    outcome, detail, prevHash}) {
                byte[] b = field.getBytes(StandardCharsets.UTF_8);
                md.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8),
                        (byte) b.length});
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    public String recomputedHash() {
        return hashOf(seq, at, actor, action, subject, outcome, detail, prevHash);
    }
}
