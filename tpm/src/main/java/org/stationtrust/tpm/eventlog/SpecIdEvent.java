package org.stationtrust.tpm.eventlog;

import java.util.ArrayList;
import java.util.List;
import org.stationtrust.tpm.eventlog.internal.LeReader;

/** Reads TCG_EfiSpecIDEvent (PC Client PFP §10.4.5.1), the header of a crypto-agile log. */
final class SpecIdEvent {
    private static final int SIGNATURE = 16;

    private SpecIdEvent() {
    }

    static List<SpecIdAlgorithm> algorithms(MeasuredEvent header, int maxAlgorithms) throws MalformedEventLog {
        if (header.pcr() != 0) {
            throw new MalformedEventLog(header.offset(), "Spec ID event: expected PCR 0, got " + header.pcr());
        }
        // the event data starts after pcrIndex, eventType, a 20-byte digest and eventSize
        LeReader r = LeReader.of(header.dataUnsafe(), header.offset() + 32);
        r.skip("signature", SIGNATURE);
        r.u32("platformClass");
        r.u8("specVersionMinor");
        int major = r.u8("specVersionMajor");
        r.u8("specErrata");
        r.u8("uintnSize");
        if (major != 2) {
            throw r.fail("Spec ID event specVersionMajor", "2 (TPM 2.0 crypto-agile log)", String.valueOf(major));
        }
        long countAt = r.offset();
        long count = r.u32("numberOfAlgorithms");
        if (count < 1 || count > maxAlgorithms) {
            throw r.failAt(countAt, "numberOfAlgorithms", "1.." + maxAlgorithms, String.valueOf(count));
        }
        List<SpecIdAlgorithm> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long at = r.offset();
            int alg = r.u16("digestSizes[" + i + "].algorithmId");
            int size = r.u16("digestSizes[" + i + "].digestSize");
            SpecIdAlgorithm a = check(r, at, i, alg, size, list);
            list.add(a);
        }
        int vendorSize = r.u8("vendorInfoSize");
        r.skip("vendorInfo", vendorSize);
        r.expectEnd("Spec ID event");
        return List.copyOf(list);
    }

    private static SpecIdAlgorithm check(LeReader r, long at, int i, int alg, int size, List<SpecIdAlgorithm> earlier)
            throws MalformedEventLog {
        if (size < 1 || earlier.stream().anyMatch(a -> a.algorithmId() == alg)) {
            throw r.failAt(at, "digestSizes[" + i + "]", "a new algorithm with a non-zero digest size",
                    String.format("0x%04x of %d bytes", alg, size));
        }
        SpecIdAlgorithm a = new SpecIdAlgorithm(alg, size);
        // a bank we implement must have its real size, or its replay would read the wrong bytes
        if (a.hash().isPresent() && a.hash().get().digestLength() != size) {
            throw r.failAt(at, "digestSizes[" + i + "].digestSize", a.hash().get() + " digests of "
                    + a.hash().get().digestLength() + " bytes", size + " bytes");
        }
        return a;
    }
}
