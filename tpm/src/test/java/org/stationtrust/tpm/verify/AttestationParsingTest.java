package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmWriter;

/** TPMS_ATTEST parsing: quote and certify are read field by field; everything else is refused clearly. */
class AttestationParsingTest {
    private static final byte[] NONCE = new byte[32];
    private static final byte[] DIGEST = new byte[32];
    private static final byte[] QUOTE = TpmStructures.quote(NONCE, TpmStructures.selection(0, 1, 7, 23), DIGEST);

    private static MalformedTpmStructure rejects(byte[] input) {
        return assertThrows(MalformedTpmStructure.class, () -> Attestation.parse(input));
    }

    @Test
    void parsesAQuoteWithItsPcrSelectionAndDigest() throws Exception {
        Attestation a = Attestation.parse(QUOTE);

        assertTrue(a.isTpmGenerated());
        assertEquals(Attestation.Type.QUOTE, a.type());
        assertArrayEquals(NONCE, a.extraData());
        assertEquals(new Attestation.ClockInfo(123456789L, 7, 3, true), a.clockInfo());
        assertEquals(0x2019102300160000L, a.firmwareVersion());
        Attestation.QuoteInfo q = a.quote().orElseThrow();
        assertEquals(List.of(new PcrBankSelection(HashAlgorithm.SHA256, new TreeSet<>(Set.of(0, 1, 7, 23)))),
                q.pcrSelection());
        assertArrayEquals(DIGEST, q.pcrDigest());
        assertTrue(a.certify().isEmpty());
    }

    @Test
    void parsesACertification() throws Exception {
        byte[] name = Arrays.copyOf(new byte[] {0x00, 0x0b, 0x42}, 34);
        Attestation a = Attestation.parse(TpmStructures.certify(new byte[] {9}, name));

        assertEquals(Attestation.Type.CERTIFY, a.type());
        assertArrayEquals(name, a.certify().orElseThrow().name());
        assertArrayEquals(name, a.certify().orElseThrow().qualifiedName());
        assertTrue(a.quote().isEmpty());
    }

    @Test
    void rejectsEveryOtherAttestationTypeNamingIt() {
        int[] others = {TpmConstants.ST_ATTEST_NV, TpmConstants.ST_ATTEST_COMMAND_AUDIT,
            TpmConstants.ST_ATTEST_SESSION_AUDIT, TpmConstants.ST_ATTEST_TIME, TpmConstants.ST_ATTEST_CREATION,
            TpmConstants.ST_ATTEST_NV_DIGEST, 0x1234};
        for (int type : others) {
            byte[] b = QUOTE.clone();
            b[4] = (byte) (type >>> 8);
            b[5] = (byte) type;
            MalformedTpmStructure e = rejects(b);
            assertTrue(e.getMessage().contains(String.format("0x%04x", type)) && e.getMessage().contains("does not accept"),
                    e.getMessage());
        }
    }

    @Test
    void rejectsEveryTruncationAndTrailingBytes() {
        for (int len = 0; len < QUOTE.length; len++) {
            assertTrue(rejects(Arrays.copyOf(QUOTE, len)).getMessage().contains("TPMS_ATTEST."));
        }
        assertTrue(rejects(Arrays.copyOf(QUOTE, QUOTE.length + 1)).getMessage().contains("trailing"));
        assertTrue(rejects(new byte[Attestation.MAX_SIZE + 1]).getMessage().contains("at most"));
    }

    @Test
    void rejectsOversizedExtraDataBankCountsSelectSizesAndBooleans() {
        byte[] bigNonce = TpmStructures.quote(new byte[65], TpmStructures.selection(0), DIGEST);
        assertTrue(rejects(bigNonce).getMessage().contains("extraData.size"));
        byte[] manyBanks = TpmStructures.quote(NONCE, new TpmWriter().u32(17).toByteArray(), DIGEST);
        assertTrue(rejects(manyBanks).getMessage().contains("pcrSelect.count"));
        byte[] hugeSelect = TpmStructures.quote(NONCE, new TpmWriter().u32(1).u16(TpmConstants.ALG_SHA256).u8(33)
                .bytes(new byte[33]).toByteArray(), DIGEST);
        assertTrue(rejects(hugeSelect).getMessage().contains("sizeofSelect"));
        byte[] unknownBank = TpmStructures.quote(NONCE, new TpmWriter().u32(1).u16(0x0012).u8(3).bytes(new byte[3])
                .toByteArray(), DIGEST);
        assertTrue(rejects(unknownBank).getMessage().contains("hash"));
        byte[] notBoolean = QUOTE.clone();
        notBoolean[4 + 2 + 36 + 34 + 8 + 4 + 4] = 2; // clockInfo.safe
        assertTrue(rejects(notBoolean).getMessage().contains("clockInfo.safe"));
    }

    @Test
    void parsesAPcrSelectionListOnItsOwn() throws Exception {
        List<PcrBankSelection> list = PcrBankSelection.parseList(TpmStructures.selection(2, 3));
        assertEquals(Set.of(2, 3), list.get(0).pcrs());
        assertThrows(MalformedTpmStructure.class, () -> PcrBankSelection.parseList(new byte[] {0, 0, 0, 1, 0, 0x0b}));
    }
}
