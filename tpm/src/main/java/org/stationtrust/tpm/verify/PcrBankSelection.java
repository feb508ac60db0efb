package org.stationtrust.tpm.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmReader;

/** One TPMS_PCR_SELECTION: a PCR bank (hash) and the PCR indices selected in it, ascending. */
public record PcrBankSelection(HashAlgorithm hash, SortedSet<Integer> pcrs) {
    public PcrBankSelection {
        Objects.requireNonNull(hash, "hash");
        pcrs = Collections.unmodifiableSortedSet(new TreeSet<>(pcrs));
        for (int i : pcrs) {
            if (i < 0 || i >= TpmConstants.MAX_PCR_SELECT * 8) {
                throw new IllegalArgumentException("PCR index must be 0.." + (TpmConstants.MAX_PCR_SELECT * 8 - 1)
                        + ", got " + i);
            }
        }
    }

    /** Parses a whole TPML_PCR_SELECTION (Part 2 §10.9.7), rejecting trailing bytes. */
    public static List<PcrBankSelection> parseList(byte[] tpmlPcrSelection) throws MalformedTpmStructure {
        TpmReader r = new TpmReader(tpmlPcrSelection, "TPML_PCR_SELECTION",
                4 + TpmConstants.MAX_PCR_BANKS * (3 + TpmConstants.MAX_PCR_SELECT));
        List<PcrBankSelection> list = read(r, "pcrSelections");
        r.expectEnd();
        return list;
    }

    static List<PcrBankSelection> read(TpmReader r, String field) throws MalformedTpmStructure {
        int countAt = r.offset();
        long count = r.u32(field + ".count");
        if (count > TpmConstants.MAX_PCR_BANKS) {
            throw r.failAt(countAt, field + ".count", "at most " + TpmConstants.MAX_PCR_BANKS + " banks",
                    String.valueOf(count));
        }
        List<PcrBankSelection> list = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            String f = field + "[" + b + "]";
            HashAlgorithm hash = TpmPublicParser.hash(r, f + ".hash");
            int sizeAt = r.offset();
            int size = r.u8(f + ".sizeofSelect");
            if (size < 1 || size > TpmConstants.MAX_PCR_SELECT) {
                throw r.failAt(sizeAt, f + ".sizeofSelect", "1.." + TpmConstants.MAX_PCR_SELECT, String.valueOf(size));
            }
            byte[] bitmap = r.bytes(f + ".pcrSelect", size);
            SortedSet<Integer> pcrs = new TreeSet<>();
            for (int i = 0; i < size * 8; i++) {
                if ((bitmap[i / 8] & (1 << (i % 8))) != 0) {
                    pcrs.add(i);
                }
            }
            list.add(new PcrBankSelection(hash, pcrs));
        }
        return Collections.unmodifiableList(list);
    }
}
