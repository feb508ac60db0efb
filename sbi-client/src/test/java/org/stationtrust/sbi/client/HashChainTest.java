package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashChainTest {
    @Test
    void theChainStartsAtTheSha256OfTheEmptyString() {
        assertEquals("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", HashChain.start().hex());
    }

    @Test
    void eachLinkHashesThePreviousRawHashWithTheHashOfTheRecord() {
        // Vectors computed independently with Python hashlib: sha256(prev || sha256(record)).
        HashChain first = HashChain.start().next("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("BDDBDF7E9DF02F902EE5DD61B2B513D7566A2112FF97DB7DC3B6D184A43EF0E3", first.hex());
        assertEquals("088E5AE9FDB6007A21DE9DFD451E49F51A3875E28A5599F2EF4E050BAAA2A5C7",
                first.next(new byte[0]).hex());
    }

    @Test
    void aChainContinuesFromAHashInAnyCase() {
        String lower = "bddbdf7e9df02f902ee5dd61b2b513d7566a2112ff97db7dc3b6d184a43ef0e3";
        assertTrue(HashChain.continueFrom(lower).matches(lower.toUpperCase()));
        assertFalse(HashChain.start().matches(lower));
    }

    @Test
    void rejectsAPreviousHashThatIsNotSixtyFourHexDigits() {
        assertThrows(IllegalArgumentException.class, () -> HashChain.continueFrom("ABC"));
        assertThrows(IllegalArgumentException.class, () -> HashChain.continueFrom("Z".repeat(64)));
    }
}
