package org.stationtrust.server.testing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Test-only stand-in for a station's TPM keys with plain JCA P-256 keys: it produces TPM-format
 * structures (TPMT_PUBLIC, TPMS_ATTEST quotes, TPMT_SIGNATURE) so the load generator and the tests of
 * signed requests can run thousands of "stations" without a TPM. The protocol tests use a real swtpm.
 */
public final class SoftwareStation {
    public static final int ATTR_FIXED_TPM = 1 << 1, ATTR_FIXED_PARENT = 1 << 4, ATTR_SENSITIVE_DATA_ORIGIN = 1 << 5,
            ATTR_USER_WITH_AUTH = 1 << 6, ATTR_RESTRICTED = 1 << 16, ATTR_SIGN = 1 << 18;

    private final KeyPair ak;
    private KeyPair machineKey;
    private final SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
    private final boolean fast;

    public SoftwareStation() {
        this(false);
    }

    /** fast: sign with BouncyCastle's lightweight ECDSA (the load generator shares the server's cores). */
    public SoftwareStation(boolean fast) {
        this.fast = fast;
        ak = p256();
        machineKey = p256();
        for (int i = 0; i < 8; i++) pcrs.put(i, sha256(("pcr" + i).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Load generator only: prepares count one-time ECDSA values for fast stations, so that their signatures during a
     * measured run cost little CPU on the cores they share with the server (see FastSigner).
     */
    public static void prepareFastSignatures(int count) throws InterruptedException {
        FastSigner.prepare(count);
    }

    /** Fast-station signatures made in full because the prepared values ran out. */
    public static long fastSignaturesSignedOnline() {
        return FastSigner.signedOnline();
    }

    public static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public KeyPair machineKey() {
        return machineKey;
    }

    public void machineKey(KeyPair k) {
        machineKey = k;
    }

    public SortedMap<Integer, byte[]> pcrs() {
        return pcrs;
    }

    public byte[] akPublic() {
        return tpmtPublic((ECPublicKey) ak.getPublic(),
                ATTR_FIXED_TPM | ATTR_FIXED_PARENT | ATTR_SENSITIVE_DATA_ORIGIN | ATTR_USER_WITH_AUTH | ATTR_RESTRICTED
                        | ATTR_SIGN, true);
    }

    public byte[] machineKeyPublic() {
        return tpmtPublic((ECPublicKey) machineKey.getPublic(),
                ATTR_FIXED_TPM | ATTR_FIXED_PARENT | ATTR_SENSITIVE_DATA_ORIGIN | ATTR_USER_WITH_AUTH | ATTR_SIGN, false);
    }

    /** TPMT_PUBLIC of an ECC P-256 key (TPM 2.0 Part 2 §12.2.4), its scheme ECDSA with SHA-256 or none. */
    static byte[] tpmtPublic(ECPublicKey key, int attributes, boolean ecdsaScheme) {
        return tpmtPublic(key, attributes, ecdsaScheme ? 0x000B : 0);
    }

    /**
     * TPMT_PUBLIC of an ECC P-256 key with the attributes given, its scheme ECDSA with the hash {@code ecdsaHash}
     * (a TPM_ALG_ID: 0x0004 SHA-1, 0x000B SHA-256, 0x000C SHA-384) or TPM_ALG_NULL when it is 0.
     */
    public static byte[] tpmtPublic(ECPublicKey key, int attributes, int ecdsaHash) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u16(o, 0x0023);
        u16(o, 0x000B);
        u32(o, attributes);
        u16(o, 0);
        u16(o, 0x0010);
        if (ecdsaHash != 0) {
            u16(o, 0x0018);
            u16(o, ecdsaHash);
        } else {
            u16(o, 0x0010);
        }
        u16(o, 0x0003);
        u16(o, 0x0010);
        tpm2b(o, fixed(key.getW().getAffineX()));
        tpm2b(o, fixed(key.getW().getAffineY()));
        return o.toByteArray();
    }

    /** A TPM2_Quote result over all PCRs held: TPMS_ATTEST and TPMT_SIGNATURE by the AK. */
    public byte[][] quote(byte[] nonce) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u32(o, 0xff544347);
        u16(o, 0x8018);
        byte[] name = new byte[34];
        name[1] = 0x0B;
        tpm2b(o, name);
        tpm2b(o, nonce);
        u64(o, 123456);
        u32(o, 1);
        u32(o, 0);
        o.write(1);
        u64(o, 0x2020_0101L);
        u32(o, 1);
        u16(o, 0x000B);
        o.write(3);
        byte[] select = new byte[3];
        ByteArrayOutputStream concat = new ByteArrayOutputStream();
        for (Map.Entry<Integer, byte[]> e : pcrs.entrySet()) {
            select[e.getKey() / 8] |= (byte) (1 << (e.getKey() % 8));
            concat.writeBytes(e.getValue());
        }
        o.writeBytes(select);
        tpm2b(o, sha256(concat.toByteArray()));
        byte[] attest = o.toByteArray();
        return new byte[][] {attest, tpmtSignature(signWith(ak, attest))};
    }

    static byte[] tpmtSignature(byte[] p1363) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u16(o, 0x0018);
        u16(o, 0x000B);
        tpm2b(o, java.util.Arrays.copyOfRange(p1363, 0, 32));
        tpm2b(o, java.util.Arrays.copyOfRange(p1363, 32, 64));
        return o.toByteArray();
    }

    public static byte[] sign(KeyPair k, byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(k.getPrivate());
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compact JWS with the given protected header fields, signed by the machine key (ES256, r||s). */
    public String jws(String typ, String kid, byte[] payload) {
        return jws(machineKey, typ, kid, payload);
    }

    /** Signs with the machine key, r||s. */
    public byte[] signWithMachineKey(byte[] data) {
        return signWith(machineKey, data);
    }

    private byte[] signWith(KeyPair k, byte[] data) {
        return fast ? FastSigner.sign(k, data) : sign(k, data);
    }

    public static String jws(KeyPair key, String typ, String kid, byte[] payload) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"typ\":\"" + typ + "\"}";
        String input = b.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b.encodeToString(payload);
        return input + "." + b.encodeToString(sign(key, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The body of {@code POST /api/v1/attestation/quotes} over a nonce the server issued (base64), as a station
     * sends it; built as text, since the load generator sends thousands of these a second.
     */
    public String quoteBody(String nonceB64) {
        byte[][] q = quote(Base64.getDecoder().decode(nonceB64));
        StringBuilder b = new StringBuilder("{\"nonce\":\"").append(nonceB64).append("\",\"attest\":\"")
                .append(Base64.getEncoder().encodeToString(q[0])).append("\",\"signature\":\"")
                .append(Base64.getEncoder().encodeToString(q[1])).append("\",\"pcrs\":{");
        pcrsWire().forEach((k, v) -> b.append('"').append(k).append("\":\"").append(v).append("\","));
        b.setLength(b.length() - 1);
        return b.append("}}").toString();
    }

    /** The same body carrying a boot event log (measured boot, docs/server-api.md). */
    public String quoteBody(String nonceB64, byte[] eventLog) {
        String body = quoteBody(nonceB64);
        return body.substring(0, body.length() - 1) + ",\"eventLog\":\"" + Base64.getEncoder().encodeToString(eventLog)
                + "\"}";
    }

    public Map<String, String> pcrsWire() {
        Map<String, String> m = new TreeMap<>();
        pcrs.forEach((k, v) -> m.put(Integer.toString(k), Base64.getEncoder().encodeToString(v)));
        return m;
    }

    public static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    private static void u32(ByteArrayOutputStream o, int v) {
        u16(o, v >>> 16);
        u16(o, v);
    }

    private static void u64(ByteArrayOutputStream o, long v) {
        u32(o, (int) (v >>> 32));
        u32(o, (int) v);
    }

    private static void tpm2b(ByteArrayOutputStream o, byte[] b) {
        u16(o, b.length);
        o.writeBytes(b);
    }
}
