package org.stationtrust.sbi.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A compact JWS as a device sends it (SBI 0.9.5 "Signature", RFC 7515 §7.1), split and decoded by the strict
 * rules the station verifies with, but not verified: its signature, algorithm policy and certificates are
 * the verifier's concern (sbi-client) or the CTK's checks. {@link #parse} refuses, as
 * {@link RejectionReason#JWS_MALFORMED}: more than {@value #MAX_CHARS} characters; other than three
 * dot-separated parts; a part that is not unpadded base64url; a header that is not a strict JSON object
 * ({@link DeviceJson}) or lacks an {@code alg} string; a {@code crit} header (RFC 7515 §4.1.11: an unknown
 * critical extension such as {@code b64=false} invalidates the JWS, and SBI uses none). An {@code alg} of
 * {@code none} and an empty signature are read, not refused: they are verdicts. Immutable.
 */
public final class CompactJws {
    public static final int MAX_CHARS = 48 * 1024 * 1024;
    private static final String[] PARTS = {"header", "payload", "signature"};

    private final String compact;
    private final int signingInputEnd;
    private final JsonNode header;
    private final String algorithm;
    private final byte[] payload;
    private final byte[] signature;

    private CompactJws(String compact, int signingInputEnd, JsonNode header, byte[] payload, byte[] signature) {
        this.compact = compact;
        this.signingInputEnd = signingInputEnd;
        this.header = header;
        this.algorithm = header.get("alg").asText();
        this.payload = payload;
        this.signature = signature;
    }

    /** True when {@code value} has the shape of a compact JWS (exactly two dots), whether or not it is valid. */
    public static boolean looksLike(String value) {
        int first = value == null ? -1 : value.indexOf('.');
        int second = first < 0 ? -1 : value.indexOf('.', first + 1);
        return second > 0 && value.indexOf('.', second + 1) < 0;
    }

    /** Splits and decodes {@code compact}; {@code what} names it in messages (e.g. "deviceInfo"). */
    public static CompactJws parse(String compact, String what) throws DeviceAnswerRejected {
        if (compact == null || compact.isEmpty() || compact.length() > MAX_CHARS) {
            throw malformed(what + " is empty or larger than " + MAX_CHARS + " characters");
        }
        int first = compact.indexOf('.');
        int last = compact.lastIndexOf('.');
        if (first < 0 || first == last || compact.indexOf('.', first + 1) != last) {
            throw malformed(what + " is not a compact JWS: expected three dot-separated parts"
                    + " (header.payload.signature), got " + (compact.chars().filter(c -> c == '.').count() + 1));
        }
        byte[] headerBytes = part(compact.substring(0, first), what, 0);
        byte[] payload = part(compact.substring(first + 1, last), what, 1);
        byte[] signature = part(compact.substring(last + 1), what, 2);
        JsonNode header;
        try {
            header = DeviceJson.read(headerBytes, what + " header");
        } catch (DeviceAnswerRejected e) {
            throw malformed(e.detail());
        }
        if (!header.isObject()) {
            throw malformed(what + " header must be a JSON object, got " + header.getNodeType());
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw malformed(what + " header has no 'alg' string");
        }
        if (header.has("crit")) {
            throw malformed(what + " header declares critical extensions ('crit'), which SBI devices never use and"
                    + " a station refuses (RFC 7515 §4.1.11): remove 'crit' from the header");
        }
        return new CompactJws(compact, last, header, payload, signature);
    }

    /** The header's {@code alg} as sent (not checked against any policy). */
    public String algorithm() {
        return algorithm;
    }

    /** A copy of the decoded header (a JSON object with an {@code alg} string and no {@code crit}). */
    public JsonNode header() {
        return header.deepCopy();
    }

    /** The decoded payload bytes (a copy). */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload read as device JSON ({@link DeviceJson#read}); {@code what} names it in messages. */
    public JsonNode payloadJson(String what) throws DeviceAnswerRejected {
        return DeviceJson.read(payload, what);
    }

    /** The decoded signature bytes (a copy); empty when the device sent none. */
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * RFC 7515 §5.2: the ASCII of the first two parts as received; exact, since both were checked to be
     * base64url.
     */
    public byte[] signingInput() {
        return compact.substring(0, signingInputEnd).getBytes(StandardCharsets.US_ASCII);
    }

    /** The JWS as received. */
    public String compact() {
        return compact;
    }

    @Override
    public String toString() {
        return "CompactJws[alg=" + algorithm + ", payloadBytes=" + payload.length + "]";
    }

    /** RFC 7515 §2: base64url without padding; the JDK decoder refuses every byte outside that alphabet. */
    private static byte[] part(String encoded, String what, int index) throws DeviceAnswerRejected {
        String name = what + " " + PARTS[index];
        if (encoded.indexOf('=') >= 0) {
            throw malformed(name + " carries '=' padding, which a compact JWS must not (RFC 7515 §2): encode each"
                    + " part as base64url without padding");
        }
        try {
            return Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw malformed(name + " is not base64url (characters outside A-Z a-z 0-9 - _, or a truncated"
                    + " group): encode each part as base64url without padding");
        }
    }

    private static DeviceAnswerRejected malformed(String detail) {
        return new DeviceAnswerRejected(RejectionReason.JWS_MALFORMED, detail);
    }
}
