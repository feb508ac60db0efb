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
}
