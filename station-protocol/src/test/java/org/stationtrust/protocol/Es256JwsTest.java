package org.stationtrust.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The one ES256 compact JWS: what it writes reads back and verifies with the JDK; every other form is refused. */
class Es256JwsTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String KID = "0123456789abcdef0123456789abcdef";

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static byte[] sign(KeyPair key, String input) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return s.sign();
    }

    private static String withHeader(String header, KeyPair key) throws Exception {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString("{}".getBytes());
        return input + "." + B64.encodeToString(sign(key, input));
    }

    @Test
    void aJwsItWritesParsesBackAndItsSignatureVerifiesWithTheJdk() throws Exception {
        KeyPair key = p256();
        String input = Es256Jws.signingInput(KID, JwsType.CAPTURE_PACKET, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        String compact = Es256Jws.assemble(input, sign(key, input));

        Es256Jws jws = Es256Jws.parse(compact, JwsType.CAPTURE_PACKET);

        assertEquals(KID, jws.kid());
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), jws.payload());
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(key.getPublic());
        v.update(jws.signingInput());
        assertTrue(v.verify(jws.signature()));
    }

    @Test
    void refusesPaddingInAnyPart() throws Exception {
        KeyPair key = p256();
        String input = Es256Jws.signingInput(KID, JwsType.STATION_REQUEST, "{}".getBytes(StandardCharsets.UTF_8));
        String compact = Es256Jws.assemble(input, sign(key, input));
        String[] parts = compact.split("\\.");
        for (String padded : new String[] {parts[0] + "=." + parts[1] + "." + parts[2],
                parts[0] + "." + parts[1] + "==." + parts[2], compact + "=="}) {
            MalformedJws e = assertThrows(MalformedJws.class, () -> Es256Jws.parse(padded, JwsType.STATION_REQUEST));
            assertTrue(e.getMessage().contains("base64url") || e.getMessage().contains("86"), e.getMessage());
        }
    }

    @Test
    void refusesNonCanonicalBase64AndSignaturesOfTheWrongLength() throws Exception {
        KeyPair key = p256();
        String input = Es256Jws.signingInput(KID, JwsType.STATION_REQUEST, "{}".getBytes(StandardCharsets.UTF_8));
        String compact = Es256Jws.assemble(input, sign(key, input));
        String sig = compact.substring(compact.lastIndexOf('.') + 1);
        // The last character of 64 bytes in base64url carries 2 unused bits: 'A' -> 'B' changes only those.
        String lastBitsSet = input + "." + sig.substring(0, 85) + (char) (sig.charAt(85) + 1);
        assertThrows(MalformedJws.class, () -> Es256Jws.parse(lastBitsSet, JwsType.STATION_REQUEST));
        String shortSig = input + "." + B64.encodeToString(new byte[63]);
        assertThrows(MalformedJws.class, () -> Es256Jws.parse(shortSig, JwsType.STATION_REQUEST));
        assertThrows(IllegalArgumentException.class, () -> Es256Jws.assemble(input, new byte[72]));
    }

    @Test
    void acceptsAPayloadPartExactlyWhenItIsTheCanonicalEncodingOfItsBytes() throws Exception {
        KeyPair key = p256();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String header = B64.encodeToString(("{\"alg\":\"ES256\",\"kid\":\"" + KID
                + "\",\"typ\":\"station-request+jws\"}").getBytes(StandardCharsets.UTF_8));
        String signature = B64.encodeToString(sign(key, "any input"));
        int accepted = 0;
        for (int length = 1; length <= 3; length++) { // last groups of 2, 3 and 4 characters
            String canonical = B64.encodeToString("{}xyz".substring(0, length).getBytes(StandardCharsets.US_ASCII));
            for (char last : alphabet.toCharArray()) {
                String part = canonical.substring(0, canonical.length() - 1) + last;
                boolean isCanonical = B64.encodeToString(java.util.Base64.getUrlDecoder().decode(part)).equals(part);
                String compact = header + "." + part + "." + signature;
                if (isCanonical) {
                    Es256Jws.parse(compact, JwsType.STATION_REQUEST);
                    accepted++;
                } else {
                    assertThrows(MalformedJws.class, () -> Es256Jws.parse(compact, JwsType.STATION_REQUEST), part);
                }
            }
        }
        assertEquals(4 + 16 + 64, accepted, "one last character in 16, in 4, and every one, for 4, 2 and 0 unused bits");
    }

    @Test
    void refusesAnotherAlgorithmTypeOrHeaderFieldAndAMissingKid() throws Exception {
        KeyPair key = p256();
        for (String header : new String[] {
                "{\"alg\":\"none\",\"kid\":\"" + KID + "\",\"typ\":\"station-request+jws\"}",
                "{\"alg\":\"HS256\",\"kid\":\"" + KID + "\",\"typ\":\"station-request+jws\"}",
                "{\"alg\":\"ES256\",\"kid\":\"" + KID + "\",\"typ\":\"capture-packet+jws\"}",
                "{\"alg\":\"ES256\",\"kid\":\"" + KID + "\",\"typ\":\"station-request+jws\",\"jwk\":{}}",
                "{\"alg\":\"ES256\",\"alg\":\"ES256\",\"kid\":\"" + KID + "\",\"typ\":\"station-request+jws\"}",
                "{\"alg\":\"ES256\",\"typ\":\"station-request+jws\"}",
                "{\"alg\":\"ES256\",\"kid\":\"../x\",\"typ\":\"station-request+jws\"}"}) {
            String jws = withHeader(header, key);
            assertThrows(MalformedJws.class, () -> Es256Jws.parse(jws, JwsType.STATION_REQUEST), header);
        }
        assertEquals(KID, Es256Jws.parse(withHeader("{\"alg\":\"ES256\",\"kid\":\"" + KID
                + "\",\"typ\":\"station-request+jws\"}", key), JwsType.STATION_REQUEST).kid());
    }

    @Test
    void refusesOtherShapesAndOversizedInput() {
        for (String s : new String[] {"", "a.b", "a.b.c.d", "....", "x".repeat(5000)}) {
            assertThrows(MalformedJws.class, () -> Es256Jws.parse(s, JwsType.STATION_REQUEST), s.length() > 20 ? "long" : s);
        }
    }
}
