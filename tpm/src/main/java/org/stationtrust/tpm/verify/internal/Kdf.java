package org.stationtrust.tpm.verify.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The TPM key derivation functions of TPM 2.0 Part 1 §11.4.10. */
public final class Kdf {
    private Kdf() {
    }

    /**
     * KDFa (SP 800-108 counter mode with HMAC, Part 1 §11.4.10.2): HMAC(key, i || label || 0x00 ||
     * contextU || contextV || bits) for i = 1, 2, ...; the label's terminating zero octet is hashed too.
     */
    public static byte[] kdfa(String hmacAlgorithm, byte[] key, String label, byte[] contextU, byte[] contextV,
            int bits) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            byte[] labelBytes = nullTerminated(label);
            byte[] out = new byte[(bits + 7) / 8];
            int done = 0;
            for (int counter = 1; done < out.length; counter++) {
                mac.update(new TpmWriter().u32(counter).toByteArray());
                mac.update(labelBytes);
                mac.update(contextU);
                mac.update(contextV);
                mac.update(new TpmWriter().u32(bits).toByteArray());
                byte[] block = mac.doFinal();
                int n = Math.min(block.length, out.length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hmacAlgorithm, e);
        }
    }

    /**
     * KDFe (SP 800-56A concatenation KDF, Part 1 §11.4.10.3): H(i || Z || label || 0x00 || partyU ||
     * partyV) for i = 1, 2, ..., truncated to bits.
     */
    public static byte[] kdfe(MessageDigest digest, byte[] z, String label, byte[] partyU, byte[] partyV, int bits) {
        byte[] labelBytes = nullTerminated(label);
        byte[] out = new byte[(bits + 7) / 8];
        int done = 0;
        for (int counter = 1; done < out.length; counter++) {
            digest.reset();
            digest.update(new TpmWriter().u32(counter).toByteArray());
            digest.update(z);
            digest.update(labelBytes);
            digest.update(partyU);
            digest.update(partyV);
            byte[] block = digest.digest();
            int n = Math.min(block.length, out.length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }

    public static byte[] nullTerminated(String label) {
        byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(ascii, ascii.length + 1);
    }
}
