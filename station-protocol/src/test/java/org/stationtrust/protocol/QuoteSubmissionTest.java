package org.stationtrust.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quote body's PCR values: the legacy sha256 {@code pcrs}, or {@code pcrBanks} by bank name, strictly. */
class QuoteSubmissionTest {
    private static final String HEAD = "{\"nonce\":\"n\",\"attest\":\"a\",\"signature\":\"s\",";

    private static QuoteSubmission read(String rest) throws InvalidJsonBody {
        return StrictJson.read((HEAD + rest).getBytes(StandardCharsets.UTF_8), QuoteSubmission.class);
    }

    private static InvalidJsonBody refused(String rest) {
        InvalidJsonBody e = assertThrows(InvalidJsonBody.class, () -> read(rest));
        assertEquals(ErrorCode.INVALID_FIELD, e.code(), e.getMessage());
        return e;
    }

    @Test
    void anOldStationsPcrsStillMeanTheSha256Bank() throws InvalidJsonBody {
        QuoteSubmission q = read("\"pcrs\":{\"0\":\"AA==\"}}");
        assertEquals(Map.of("sha256", Map.of("0", "AA==")), q.quotedBanks());
    }

    @Test
    void pcrBanksCarryEachBankByName() throws InvalidJsonBody {
        QuoteSubmission q = read("\"pcrBanks\":{\"sha256\":{\"0\":\"AA==\"},\"sha1\":{\"0\":\"AQ==\"}}}");
        assertEquals(Map.of("sha256", Map.of("0", "AA=="), "sha1", Map.of("0", "AQ==")), q.quotedBanks());
        assertNull(q.pcrs());
    }

    @Test
    void anUnknownBankNameIsRefusedNamingTheKnownOnes() {
        InvalidJsonBody e = refused("\"pcrBanks\":{\"sha384\":{\"0\":\"AA==\"}}}");
        assertTrue(e.getMessage().contains("'sha384'") && e.getMessage().contains("sha1"), e.getMessage());
        refused("\"pcrBanks\":{\"SHA256\":{\"0\":\"AA==\"}}}");
    }

    @Test
    void valuesMustComeInExactlyOneOfTheTwoFields() {
        refused("\"pcrs\":{\"0\":\"AA==\"},\"pcrBanks\":{\"sha1\":{\"0\":\"AA==\"}}}");
        refused("\"eventLogSha256\":null}");
    }

    @Test
    void emptyAndOversizedBanksAreRefused() {
        refused("\"pcrBanks\":{}}");
        refused("\"pcrBanks\":{\"sha1\":{}}}");
        refused("\"pcrs\":{}}");
        StringBuilder many = new StringBuilder("\"pcrBanks\":{\"sha1\":{");
        for (int i = 0; i < 25; i++) {
            many.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"AA==\"");
        }
        refused(many.append("}}}").toString());
        refused("\"pcrBanks\":{\"sha1\":null}}");
    }

    @Test
    void aQuoteOfTheSha256BankAloneGoesAsPcrsWhichEveryServerReads() {
        QuoteSubmission alone = QuoteSubmission.ofBanks("n", "a", "s", Map.of("sha256", Map.of("0", "AA==")), null, null);
        assertEquals(Map.of("0", "AA=="), alone.pcrs());
        assertNull(alone.pcrBanks());
        QuoteSubmission both = QuoteSubmission.ofBanks("n", "a", "s", Map.of("sha256", Map.of("0", "AA=="), "sha1",
                Map.of("0", "AQ==")), null, null);
        assertNull(both.pcrs());
        assertEquals(2, both.pcrBanks().size());
    }
}
