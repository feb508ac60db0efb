package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PcrValuesTest {
    @Test
    void theDigestHashesTheValuesInAscendingIndexOrderWhateverTheMapOrder() throws Exception {
        byte[] seven = new byte[32];
        seven[0] = 7;
        byte[] zero = new byte[32];
        PcrValues pcrs = PcrValues.sha256(Map.of(7, seven, 0, zero));

        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(zero);
        md.update(seven);
        assertArrayEquals(md.digest(), pcrs.digest());
        assertEquals(Set.of(0, 7), pcrs.indices());
    }

    @Test
    void refusesEmptySetsWrongSizesAndIndicesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> PcrValues.sha256(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PcrValues.sha256(Map.of(0, new byte[20])));
        assertThrows(IllegalArgumentException.class, () -> PcrValues.sha256(Map.of(24, new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> PcrValues.sha256(Map.of(-1, new byte[32])));
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] v = new byte[32];
        PcrValues pcrs = PcrValues.sha256(Map.of(1, v));
        v[0] = 1;
        pcrs.value(1)[0] = 2;
        assertEquals(0, pcrs.value(1)[0]);
    }

    @Test
    void aSha1BankHoldsTwentyByteValuesOnly() {
        assertEquals(HashAlgorithm.SHA1, PcrValues.sha1(Map.of(0, new byte[20])).bank());
        assertThrows(IllegalArgumentException.class, () -> PcrValues.sha1(Map.of(0, new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> PcrValues.of(HashAlgorithm.SHA256, Map.of(0, new byte[20])));
    }

    @Test
    void quotedBanksHashBankAfterBankInSelectionOrderAndRefuseABankTwice() throws Exception {
        byte[] a = new byte[32];
        a[0] = 1;
        byte[] b = new byte[20];
        b[0] = 2;
        PcrValues sha256 = PcrValues.sha256(Map.of(0, a));
        PcrValues sha1 = PcrValues.sha1(Map.of(0, b));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(a);
        md.update(b);
        assertArrayEquals(md.digest(), QuotedPcrs.of(sha256, sha1).digest());
        QuotedPcrs reversed = QuotedPcrs.of(sha256, sha1).inOrder(java.util.List.of(HashAlgorithm.SHA1, HashAlgorithm.SHA256));
        assertEquals(java.util.List.of(HashAlgorithm.SHA1, HashAlgorithm.SHA256), reversed.algorithms());
        assertThrows(IllegalArgumentException.class, () -> QuotedPcrs.of(sha1, PcrValues.sha1(Map.of(1, b))));
        assertThrows(IllegalArgumentException.class, () -> QuotedPcrs.of(java.util.List.of()));
        assertEquals(java.util.Optional.empty(), QuotedPcrs.of(sha1).sha256());
    }
}
