package org.stationtrust.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;

/**
 * The protocol's one compact JWS (RFC 7515 §7.1), strict: protected header exactly
 * {@code {"alg":"ES256","kid":<machine id>,"typ":<type>}} ({@link Fields#KID}), every part base64url without padding and in its
 * canonical form (RFC 7515 §2, RFC 4648 §3.5), a 64-byte {@code r||s} signature (RFC 7518 §3.4). Parsing
 * checks the form; the signature itself is verified by whoever holds the machine's key.
 */
public final class Es256Jws {
    private static final int SIGNATURE_BYTES = 64;
    private static final int SIGNATURE_CHARS = 86;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String kid;
    private final JwsType type;
    private final byte[] signingInput;
    private final byte[] payload;
    private final byte[] signature;

    private Es256Jws(String kid, JwsType type, byte[] signingInput, byte[] payload, byte[] signature) {
        this.kid = kid;
        this.type = type;
        this.signingInput = signingInput;
        this.payload = payload;
        this.signature = signature;
    }

    /** Parses {@code compact} as a JWS of {@code expected} type, refusing every other form. */
    public static Es256Jws parse(String compact, JwsType expected) throws MalformedJws {
        if (compact == null || compact.isEmpty()) throw new MalformedJws("Expected a compact JWS, got nothing");
        if (compact.length() > expected.maxChars()) {
            throw new MalformedJws("JWS longer than " + expected.maxChars() + " characters");
        }
        int first = compact.indexOf('.');
        int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
        if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
            throw new MalformedJws("Expected a compact JWS: header.payload.signature");
        }
        String signaturePart = compact.substring(second + 1);
        if (signaturePart.length() != SIGNATURE_CHARS) {
            throw new MalformedJws("An ES256 signature is " + SIGNATURE_CHARS + " base64url characters (64 bytes r||s),"
                    + " got " + signaturePart.length());
        }
        byte[] header = decode(compact.substring(0, first), "header");
        byte[] payload = decode(compact.substring(first + 1, second), "payload");
        byte[] signature = decode(signaturePart, "signature");
        String kid = checkHeader(header, expected);
        return new Es256Jws(kid, expected, compact.substring(0, second).getBytes(StandardCharsets.US_ASCII), payload,
                signature);
    }

    /** {@code base64url(header) "." base64url(payload)}: what the machine key signs. */
    public static String signingInput(String kid, JwsType type, byte[] payload) {
        if (kid == null || !Fields.KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("kid must be the machine id (1-80 of A-Z a-z 0-9 _ -)");
        }
        ObjectNode h = WireJson.strict().createObjectNode();
        h.put("alg", "ES256");
        h.put("kid", kid);
        h.put("typ", type.wire());
        return ENCODER.encodeToString(h.toString().getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(payload);
    }

    /** The compact JWS from a signing input and its 64-byte {@code r||s} signature. */
    public static String assemble(String signingInput, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an ES256 signature is 64 bytes (r||s), got "
                    + (signature == null ? "none" : signature.length) + "; the machine key is not P-256");
        }
        return signingInput + "." + ENCODER.encodeToString(signature);
    }

    public String kid() {
        return kid;
    }

    public JwsType type() {
        return type;
    }

    /** The bytes the signature covers (ASCII). */
    public byte[] signingInput() {
        return signingInput.clone();
    }

    public byte[] payload() {
        return payload.clone();
    }

    /** JOSE {@code r||s}, 64 bytes. */
    public byte[] signature() {
        return signature.clone();
    }

    private static byte[] decode(String part, String what) throws MalformedJws {
        if (!isBase64UrlAlphabet(part)) {
            throw new MalformedJws("JWS " + what + " must be base64url without padding (A-Z a-z 0-9 - _ only)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new MalformedJws("JWS " + what + " is not base64url: " + e.getMessage());
        }
        // One byte string, one encoding: unused trailing bits must be zero (RFC 4648 §3.5). Without padding, a last
        // group of 2 characters carries 8 bits in 12 (4 unused), of 3 characters 16 in 18 (2 unused).
        int unusedBits = part.length() % 4 == 2 ? 4 : part.length() % 4 == 3 ? 2 : 0;
        if (unusedBits > 0 && (sextet(part.charAt(part.length() - 1)) & ((1 << unusedBits) - 1)) != 0) {
            throw new MalformedJws("JWS " + what + " is not canonical base64url (non-zero trailing bits)");
        }
        return bytes;
    }

    /** The 6-bit value of a base64url character (the alphabet was checked). */
    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        return c == '-' ? 62 : 63;
    }

    private static boolean isBase64UrlAlphabet(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return false;
        }
        return true;
    }

    private static String checkHeader(byte[] header, JwsType expected) throws MalformedJws {
        JsonNode h;
        try {
            h = WireJson.strict().readTree(header);
        } catch (IOException e) {
            throw new MalformedJws("JWS protected header is not JSON (or repeats a field)");
        }
        if (h == null || !h.isObject()) throw new MalformedJws("JWS protected header must be a JSON object");
        for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("alg") && !f.equals("typ") && !f.equals("kid")) {
                throw new MalformedJws("JWS header field '" + Fields.clip(f) + "' is not accepted; expected only alg, typ, kid");
            }
        }
        if (!"ES256".equals(text(h, "alg"))) {
            throw new MalformedJws("JWS alg must be ES256, was '" + Fields.clip(text(h, "alg")) + "'");
        }
        if (!expected.wire().equals(text(h, "typ"))) {
            throw new MalformedJws("JWS typ must be " + expected.wire() + ", was '" + Fields.clip(text(h, "typ")) + "'");
        }
        String kid = text(h, "kid");
        if (kid == null || !Fields.KID.matcher(kid).matches()) {
            throw new MalformedJws("JWS kid must be the machine id (1-80 of A-Z a-z 0-9 _ -)");
        }
        return kid;
    }

    private static String text(JsonNode h, String field) {
        JsonNode n = h.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
