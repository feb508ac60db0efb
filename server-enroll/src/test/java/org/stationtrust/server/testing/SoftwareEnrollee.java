package org.stationtrust.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A software station that goes through the whole enrollment protocol over HTTP, without a TPM: an ECC
 * P-256 EK (no certificate: "EK unverified"), an AK that certifies the machine key, software
 * ActivateCredential (TPM 2.0 Part 1 Annex C.6.4 and §24: KDFe, KDFa, AES-CFB) and quotes. For the load and
 * crash tests, which need thousands of enrollments; the protocol tests use a real swtpm ({@link TpmStation}).
 */
public final class SoftwareEnrollee {
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final int EK_ATTRIBUTES = SoftwareStation.ATTR_FIXED_TPM | SoftwareStation.ATTR_FIXED_PARENT
            | SoftwareStation.ATTR_SENSITIVE_DATA_ORIGIN | (1 << 7) | SoftwareStation.ATTR_RESTRICTED | (1 << 17);
    private final String name;
    private final KeyPair ek;
    private final KeyPair ak = SoftwareStation.p256();
    private volatile KeyPair machineKey = SoftwareStation.p256();
    private final SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
    public String machineId;

    public SoftwareEnrollee(String name) {
        this(name, SoftwareStation.p256());
    }

    /**
     * An enrollee presenting {@code other}'s EK (public part) with its own AK and machine key: what anyone who read
     * a station's EK certificate can send. It cannot answer the credential challenge: that needs the EK's private key.
     */
    public static SoftwareEnrollee withEkOf(String name, SoftwareEnrollee other) {
        return new SoftwareEnrollee(name, other.ek);
    }

    private SoftwareEnrollee(String name, KeyPair ek) {
        this.name = name;
        this.ek = ek;
        for (int i = 0; i < 8; i++) pcrs.put(i, SoftwareStation.sha256(("pcr" + i).getBytes(StandardCharsets.UTF_8)));
    }

    public String name() {
        return name;
    }

    public KeyPair machineKey() {
        return machineKey;
    }

    public byte[] ekPublic() {
        ECPublicKey k = (ECPublicKey) ek.getPublic();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u16(o, 0x0023);
        u16(o, 0x000B);
        u32(o, EK_ATTRIBUTES);
        tpm2b(o, new byte[32]);                   // authPolicy (PolicySecret(TPM_RH_ENDORSEMENT) in a real EK)
        u16(o, 0x0006);
        u16(o, 128);
        u16(o, 0x0043);                           // AES-128-CFB
        u16(o, 0x0010);                           // scheme NULL
        u16(o, 0x0003);                           // NIST P-256
        u16(o, 0x0010);                           // kdf NULL
        tpm2b(o, fixed(k.getW().getAffineX()));
        tpm2b(o, fixed(k.getW().getAffineY()));
        return o.toByteArray();
    }

    public byte[] akPublic() {
        return SoftwareStation.tpmtPublic((ECPublicKey) ak.getPublic(), SoftwareStation.ATTR_FIXED_TPM | SoftwareStation.ATTR_FIXED_PARENT
                | SoftwareStation.ATTR_SENSITIVE_DATA_ORIGIN | SoftwareStation.ATTR_USER_WITH_AUTH | SoftwareStation.ATTR_RESTRICTED
                | SoftwareStation.ATTR_SIGN, true);
    }

    public byte[] machineKeyPublic() {
        return machineKeyPublic(machineKey);
    }

    static byte[] machineKeyPublic(KeyPair key) {
        return SoftwareStation.tpmtPublic((ECPublicKey) key.getPublic(), SoftwareStation.ATTR_FIXED_TPM
                | SoftwareStation.ATTR_FIXED_PARENT | SoftwareStation.ATTR_SENSITIVE_DATA_ORIGIN | SoftwareStation.ATTR_USER_WITH_AUTH
                | SoftwareStation.ATTR_SIGN, false);
    }

    static byte[] name(byte[] tpmtPublic) {
        byte[] n = new byte[34];
        n[1] = 0x0B;
        System.arraycopy(SoftwareStation.sha256(tpmtPublic), 0, n, 2, 32);
        return n;
    }

    /** POST /api/v1/enrollments body (no EK certificate). */
    public String enrollmentBody() {
        byte[][] certify = certify(org.stationtrust.protocol.QualifyingData.enrollment(name));
        ObjectNode b = TestServer.JSON.createObjectNode();
        b.put("machineName", name);
        b.put("ekPublic", B64.encodeToString(ekPublic()));
        b.put("akPublic", B64.encodeToString(akPublic()));
        b.put("machineKeyPublic", B64.encodeToString(machineKeyPublic()));
        b.put("machineKeyCertifyInfo", B64.encodeToString(certify[0]));
        b.put("machineKeyCertifySignature", B64.encodeToString(certify[1]));
        return b.toString();
    }

    /** TPM2_Certify of the machine key by the AK: TPMS_ATTEST (TPM_ST_ATTEST_CERTIFY) and its signature. */
    byte[][] certify(byte[] qualifyingData) {
        return certify(qualifyingData, machineKeyPublic());
    }

    private byte[][] certify(byte[] qualifyingData, byte[] keyPublic) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u32(o, 0xff544347);
        u16(o, 0x8017);
        tpm2b(o, name(akPublic()));
        tpm2b(o, qualifyingData);
        clockAndFirmware(o);
        tpm2b(o, name(keyPublic));
        tpm2b(o, name(keyPublic));
        byte[] attest = o.toByteArray();
        return new byte[][] {attest, SoftwareStation.tpmtSignature(SoftwareStation.sign(ak, attest))};
    }

    /**
     * POST /api/v1/stations/key-rotation body for {@code next}: its public area certified by the enrolled AK over the
     * rotation nonce. The request must still be signed with the current key; {@link #useMachineKey} switches after.
     */
    public String rotationBody(String nonceB64, KeyPair next) {
        byte[] keyPublic = machineKeyPublic(next);
        byte[][] certify = certify(d(nonceB64), keyPublic);
        ObjectNode b = TestServer.JSON.createObjectNode();
        b.put("nonce", nonceB64);
        b.put("machineKeyPublic", B64.encodeToString(keyPublic));
        b.put("certifyInfo", B64.encodeToString(certify[0]));
        b.put("certifySignature", B64.encodeToString(certify[1]));
        return b.toString();
    }

    /** From now on requests are signed with {@code key} (after the server accepted its rotation). */
    public void useMachineKey(KeyPair key) {
        machineKey = key;
    }

    /** The activation body: the secret recovered from the challenge, and the first quote over its nonce. */
    public String activationBody(JsonNode challenge) {
        byte[] secret = activateCredential(d(challenge.path("credentialBlob").asText()), d(challenge.path("encryptedSecret").asText()));
        ObjectNode b = TestServer.JSON.createObjectNode();
        b.put("secret", B64.encodeToString(secret));
        b.set("quote", quoteJson(challenge.path("quoteNonce").asText()));
        return b.toString();
    }

    /** An activation body with the given secret instead of the recovered one (what a party without the EK sends). */
    public String activationBodyWithSecret(byte[] secret, JsonNode challenge) {
        ObjectNode b = TestServer.JSON.createObjectNode();
        b.put("secret", B64.encodeToString(secret));
        b.set("quote", quoteJson(challenge.path("quoteNonce").asText()));
        return b.toString();
    }

    public ObjectNode quoteJson(String nonceB64) {
        byte[][] q = quote(d(nonceB64));
        ObjectNode quote = TestServer.JSON.createObjectNode();
        quote.put("nonce", nonceB64);
        quote.put("attest", B64.encodeToString(q[0]));
        quote.put("signature", B64.encodeToString(q[1]));
        ObjectNode p = quote.putObject("pcrs");
        for (Map.Entry<Integer, byte[]> e : pcrs.entrySet()) p.put(Integer.toString(e.getKey()), B64.encodeToString(e.getValue()));
        return quote;
    }

    byte[][] quote(byte[] nonce) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u32(o, 0xff544347);
        u16(o, 0x8018);
        tpm2b(o, name(akPublic()));
        tpm2b(o, nonce);
        clockAndFirmware(o);
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
        tpm2b(o, SoftwareStation.sha256(concat.toByteArray()));
        byte[] attest = o.toByteArray();
        return new byte[][] {attest, SoftwareStation.tpmtSignature(FastSigner.sign(ak, attest))};
    }

    /** ActivateCredential in software: ECDH with the EK, seed by KDFe "IDENTITY", AES-CFB key by KDFa "STORAGE". */
    byte[] activateCredential(byte[] credentialBlob, byte[] encryptedSecret) {
        try {
            int[] at = {0};
            byte[] qx = sized(encryptedSecret, at);
            byte[] qy = sized(encryptedSecret, at);
            ECPublicKey ekPub = (ECPublicKey) ek.getPublic();
            ECPublicKey ephemeral = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(new ECPoint(new BigInteger(1, qx), new BigInteger(1, qy)), ekPub.getParams()));
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(ek.getPrivate());
            ka.doPhase(ephemeral, true);
            byte[] z = fixed(new BigInteger(1, ka.generateSecret()));
            byte[] seed = kdfe(z, "IDENTITY", fixed(new BigInteger(1, qx)), fixed(ekPub.getW().getAffineX()));
            int[] b = {0};
            sized(credentialBlob, b); // outer HMAC: the real TPM checks it; the server's side is tested against swtpm
            byte[] encIdentity = Arrays.copyOfRange(credentialBlob, b[0], credentialBlob.length);
            byte[] symKey = Arrays.copyOf(kdfa(seed, "STORAGE", name(akPublic()), 128), 16);
            Cipher aes = Cipher.getInstance("AES/CFB/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(symKey, "AES"), new IvParameterSpec(new byte[16]));
            int[] c = {0};
            return sized(aes.doFinal(encIdentity), c);
        } catch (Exception e) {
            throw new IllegalStateException("software ActivateCredential failed: " + e.getMessage(), e);
        }
    }

    private static byte[] kdfe(byte[] z, String label, byte[] partyU, byte[] partyV) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(new byte[] {0, 0, 0, 1});
        d.update(z);
        d.update((label + "\0").getBytes(StandardCharsets.US_ASCII));
        d.update(partyU);
        d.update(partyV);
        return d.digest();
    }

    private static byte[] kdfa(byte[] key, String label, byte[] contextU, int bits) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(new byte[] {0, 0, 0, 1});
        mac.update((label + "\0").getBytes(StandardCharsets.US_ASCII));
        mac.update(contextU);
        mac.update(new byte[] {0, 0, 0, (byte) 0}, 0, 2);
        mac.update(new byte[] {(byte) (bits >>> 8), (byte) bits});
        return mac.doFinal();
    }

    private static byte[] sized(byte[] b, int[] at) {
        int n = (b[at[0]] & 0xff) << 8 | (b[at[0] + 1] & 0xff);
        byte[] out = Arrays.copyOfRange(b, at[0] + 2, at[0] + 2 + n);
        at[0] += 2 + n;
        return out;
    }

    private static void clockAndFirmware(ByteArrayOutputStream o) {
        u32(o, 0);
        u32(o, 123456);                            // clock (u64)
        u32(o, 1);
        u32(o, 0);
        o.write(1);
        u32(o, 0x2020);
        u32(o, 0x0101);                            // firmwareVersion (u64)
    }

    static byte[] d(String b64) {
        return Base64.getDecoder().decode(b64);
    }

    private static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    private static void tpm2b(ByteArrayOutputStream o, byte[] b) {
        u16(o, b.length);
        o.writeBytes(b);
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    private static void u32(ByteArrayOutputStream o, int v) {
        u16(o, v >>> 16);
        u16(o, v);
    }
}
