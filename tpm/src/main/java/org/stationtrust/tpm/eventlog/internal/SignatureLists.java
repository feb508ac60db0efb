package org.stationtrust.tpm.eventlog.internal;

import java.util.ArrayList;
import java.util.List;
import org.stationtrust.tpm.eventlog.MalformedEventLog;
import org.stationtrust.tpm.eventlog.SignatureEntry;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * EFI_SIGNATURE_LIST sequences (UEFI 2.x §32.4.1), the content of PK, KEK, db and dbx: each list has
 * a type GUID, its own size, a header size and a fixed signature size; each signature is an owner GUID
 * and the data (an X.509 certificate or a SHA-256 hash).
 */
public final class SignatureLists {
    public static final String EFI_CERT_X509 = "a5c059a1-94e4-4aa7-87b5-ab155c2bf072";
    public static final String EFI_CERT_SHA256 = "c1c41626-504c-4092-aca9-41f936934328";
    private static final int LIST_HEADER = 28;
    private static final int OWNER = 16;
    private static final int MAX_ENTRIES = 4096;

    private SignatureLists() {
    }

    public static List<SignatureEntry> parse(byte[] event, int from, int length, long logOffset, int eventIndex)
            throws MalformedEventLog {
        LeReader r = LeReader.of(event, from, from + length, logOffset + from);
        List<SignatureEntry> entries = new ArrayList<>();
        while (!r.atEnd()) {
            long at = r.offset();
            String type = Guids.read(r, "EFI_SIGNATURE_LIST.SignatureType");
            long listSize = r.u32("EFI_SIGNATURE_LIST.SignatureListSize");
            long headerSize = r.u32("EFI_SIGNATURE_LIST.SignatureHeaderSize");
            long sigSize = r.u32("EFI_SIGNATURE_LIST.SignatureSize");
            long body = listSize - LIST_HEADER - headerSize;
            if (listSize < LIST_HEADER || body < 0 || body > r.remaining() + 0L - headerSize || sigSize <= OWNER
                    || body % sigSize != 0) {
                throw r.failAt(at, "EFI_SIGNATURE_LIST", "sizes that add up (list " + listSize + " = 28 + header "
                        + headerSize + " + n x signature " + sigSize + ", within the " + (r.remaining() + 28)
                        + " bytes left)", "sizes that do not");
            }
            r.skip("EFI_SIGNATURE_LIST.SignatureHeader", headerSize);
            for (long n = body / sigSize; n > 0; n--) {
                if (entries.size() >= MAX_ENTRIES) {
                    throw r.fail("EFI_SIGNATURE_LIST", "at most " + MAX_ENTRIES + " signatures", "more");
                }
                r.skip("EFI_SIGNATURE_DATA.SignatureOwner", OWNER);
                int at2 = r.take("EFI_SIGNATURE_DATA.SignatureData", sigSize - OWNER);
                entries.add(entry(type, event, at2, at2 + (int) (sigSize - OWNER), eventIndex));
            }
        }
        return entries;
    }

    /** One signature's data as a policy sees it: a certificate's subject and fingerprint, or a hash. */
    public static SignatureEntry entry(String type, byte[] data, int eventIndex) {
        return entry(type, data, 0, data.length, eventIndex);
    }

    /** The same for the signature data at bytes [from, to) of {@code bytes} (copied once, into the entry). */
    static SignatureEntry entry(String type, byte[] bytes, int from, int to, int eventIndex) {
        if (type.equals(EFI_CERT_X509)) {
            return SignatureEntry.certificate(bytes, from, to, eventIndex);
        }
        if (type.equals(EFI_CERT_SHA256) && to - from == HashAlgorithm.SHA256.digestLength()) {
            return SignatureEntry.sha256Hash(bytes, from, to, eventIndex);
        }
        return SignatureEntry.other(type, bytes, from, to, eventIndex);
    }
}
