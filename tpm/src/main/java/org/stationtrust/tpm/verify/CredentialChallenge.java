package org.stationtrust.tpm.verify;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.stationtrust.tpm.verify.internal.Kdf;
import org.stationtrust.tpm.verify.internal.TpmWriter;

/**
 * TPM2_MakeCredential done in software (TPM 2.0 Part 1 §24, Part 3 §12.6): a secret that only the
 * TPM holding the EK can recover, and only for a loaded object with the given Name (the AK).
 *
 * @param credentialBlob content of a TPM2B_ID_OBJECT: TPM2B_DIGEST outer HMAC || encrypted identity
 * @param encryptedSecret content of a TPM2B_ENCRYPTED_SECRET: the seed, OAEP-encrypted (RSA EK) or
 *     the ephemeral ECDH public point as TPMS_ECC_POINT (ECC EK)
 */
public record CredentialChallenge(byte[] credentialBlob, byte[] encryptedSecret) {
    public static final int MIN_SECRET = 16;
    public static final int MAX_SECRET = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public CredentialChallenge {
        credentialBlob = credentialBlob.clone();
        encryptedSecret = encryptedSecret.clone();
    }

    @Override
    public byte[] credentialBlob() {
        return credentialBlob.clone();
    }

    @Override
    public byte[] encryptedSecret() {
        return encryptedSecret.clone();
    }

    /**
     * Wraps secret (16..32 bytes) for the TPM holding ekPublic, bound to the object named akName.
     *
     * @throws UnsuitableEndorsementKey when ekPublic is not a restricted decryption key with AES-CFB
     */
    public static CredentialChallenge make(TpmPublic ekPublic, byte[] akName, byte[] secret)
            throws UnsuitableEndorsementKey {
        requireStorageKey(ekPublic);
        requireName(akName);
        if (secret == null || secret.length < MIN_SECRET || secret.length > MAX_SECRET) {
            throw new IllegalArgumentException("the credential secret must be " + MIN_SECRET + ".." + MAX_SECRET
                    + " bytes, got " + (secret == null ? "null" : secret.length));
        }
        HashAlgorithm h = ekPublic.nameAlg();
        byte[] seed;
        byte[] encryptedSecret;
        try {
            if (ekPublic.parameters() instanceof TpmPublic.RsaParameters) {
                // Part 1 Annex B.10.3: the seed is OAEP-encrypted with label "IDENTITY" (with its zero octet).
                seed = new byte[h.digestLength()];
                RANDOM.nextBytes(seed);
                Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
                oaep.init(Cipher.ENCRYPT_MODE, ekPublic.toPublicKey(), new OAEPParameterSpec(h.jcaName(), "MGF1",
                        new MGF1ParameterSpec(h.jcaName()), new PSource.PSpecified(Kdf.nullTerminated("IDENTITY"))));
                encryptedSecret = oaep.doFinal(seed);
            } else {
                // Part 1 Annex C.6.4: one-pass ECDH with an ephemeral key, the seed from KDFe "IDENTITY".
                TpmPublic.EccParameters ecc = (TpmPublic.EccParameters) ekPublic.parameters();
                int n = ecc.curve().coordinateLength();
                KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
                gen.initialize(ecc.curve().parameterSpec(), RANDOM);
                KeyPair ephemeral = gen.generateKeyPair();
                KeyAgreement ka = KeyAgreement.getInstance("ECDH");
                ka.init(ephemeral.getPrivate());
                ka.doPhase(ekPublic.toPublicKey(), true);
                byte[] z = fixed(new BigInteger(1, ka.generateSecret()), n);
                ECPublicKey qe = (ECPublicKey) ephemeral.getPublic();
                byte[] qx = fixed(qe.getW().getAffineX(), n);
                byte[] qy = fixed(qe.getW().getAffineY(), n);
                seed = Kdf.kdfe(h.newDigest(), z, "IDENTITY", qx, fixed(ecc.x(), n), h.digestLength() * 8);
                encryptedSecret = new TpmWriter().sized(qx).sized(qy).toByteArray();
                Arrays.fill(z, (byte) 0);
            }
            byte[] blob = wrap(h, seed, ekPublic.symmetric().keyBits(), akName, secret);
            Arrays.fill(seed, (byte) 0);
            return new CredentialChallenge(blob, encryptedSecret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK failed a standard primitive (OAEP, ECDH, AES-CFB, HMAC): "
                    + e.getMessage(), e);
        }
    }

    /** Part 1 §24.4-24.5: encIdentity = AES-CFB(KDFa "STORAGE"), outer HMAC with KDFa "INTEGRITY". */
    private static byte[] wrap(HashAlgorithm h, byte[] seed, int symBits, byte[] akName, byte[] secret)
            throws GeneralSecurityException {
        String hmacAlg = "Hmac" + h.compactName();
        byte[] symKey = Kdf.kdfa(hmacAlg, seed, "STORAGE", akName, new byte[0], symBits);
        Cipher aes = Cipher.getInstance("AES/CFB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(symKey, "AES"), new IvParameterSpec(new byte[16]));
        byte[] encIdentity = aes.doFinal(new TpmWriter().sized(secret).toByteArray());
        byte[] hmacKey = Kdf.kdfa(hmacAlg, seed, "INTEGRITY", new byte[0], new byte[0], h.digestLength() * 8);
        Mac mac = Mac.getInstance(hmacAlg);
        mac.init(new SecretKeySpec(hmacKey, hmacAlg));
        mac.update(encIdentity);
        byte[] outerHmac = mac.doFinal(akName);
        Arrays.fill(symKey, (byte) 0);
        Arrays.fill(hmacKey, (byte) 0);
        return new TpmWriter().sized(outerHmac).bytes(encIdentity).toByteArray();
    }

    private static void requireStorageKey(TpmPublic ek) throws UnsuitableEndorsementKey {
        if (ek == null || !ek.isRestricted() || !ek.isDecrypt() || !ek.symmetric().aesCfb()) {
            throw new UnsuitableEndorsementKey("a credential can only be made for a restricted decryption key with"
                    + " an AES-CFB symmetric definition (an EK from the TCG template), got " + ek
                    + "; send the EK public area read from the TPM");
        }
    }

    private static void requireName(byte[] name) {
        boolean ok = name != null && name.length >= 2 && HashAlgorithm.fromId(((name[0] & 0xff) << 8)
                | (name[1] & 0xff)).map(a -> a.digestLength() == name.length - 2).orElse(false);
        if (!ok) {
            throw new IllegalArgumentException("akName must be a TPM Name (hash algorithm id then digest), got "
                    + (name == null ? "null" : HexFormat.of().formatHex(name)));
        }
    }

    private static byte[] fixed(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialChallenge other && MessageDigest.isEqual(credentialBlob, other.credentialBlob)
                && MessageDigest.isEqual(encryptedSecret, other.encryptedSecret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(credentialBlob);
    }

    @Override
    public String toString() {
        return "CredentialChallenge[blob " + credentialBlob.length + " bytes, secret " + encryptedSecret.length
                + " bytes]";
    }
}
