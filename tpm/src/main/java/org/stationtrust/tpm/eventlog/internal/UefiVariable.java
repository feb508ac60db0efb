package org.stationtrust.tpm.eventlog.internal;

import java.nio.charset.StandardCharsets;
import org.stationtrust.tpm.eventlog.MalformedEventLog;

/**
 * UEFI_VARIABLE_DATA (PC Client PFP §10.4.7 / UEFI 2.x): vendor GUID, name length in CHAR16, data
 * length, the name in UCS-2 and the data. {@code dataOffset} is where the data starts in the event.
 */
public record UefiVariable(String vendor, String name, int dataOffset, int dataLength) {
    public static final String EFI_GLOBAL_VARIABLE = "8be4df61-93ca-11d2-aa0d-00e098032b8c";
    public static final String EFI_IMAGE_SECURITY_DATABASE = "d719b2cb-3d3a-4596-a3bc-dad00e67656f";
    /** shim's vendor GUID: it logs the authorities it verified with as "Shim" (its built-in certificate) and "MokList". */
    public static final String SHIM_LOCK = "605dab50-e046-4300-abb6-3dd810dd8b23";
    private static final int MAX_NAME_CHARS = 256;

    public static UefiVariable parse(byte[] event, long logOffset) throws MalformedEventLog {
        LeReader r = LeReader.of(event, logOffset);
        String vendor = Guids.read(r, "UEFI_VARIABLE_DATA.VariableName");
        long nameAt = r.offset();
        long nameChars = r.u64("UEFI_VARIABLE_DATA.UnicodeNameLength");
        long dataAt = r.offset();
        long dataLength = r.u64("UEFI_VARIABLE_DATA.VariableDataLength");
        if (nameChars < 0 || nameChars > MAX_NAME_CHARS) {
            throw r.failAt(nameAt, "UEFI_VARIABLE_DATA.UnicodeNameLength", "0.." + MAX_NAME_CHARS + " characters",
                    Long.toUnsignedString(nameChars));
        }
        byte[] name = r.bytes("UEFI_VARIABLE_DATA.UnicodeName", nameChars * 2);
        if (dataLength < 0 || dataLength != r.remaining()) {
            throw r.failAt(dataAt, "UEFI_VARIABLE_DATA.VariableDataLength", r.remaining()
                    + " (the rest of the event)", Long.toUnsignedString(dataLength));
        }
        return new UefiVariable(vendor, trimNul(new String(name, StandardCharsets.UTF_16LE)),
                event.length - (int) dataLength, (int) dataLength);
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    public boolean is(String expectedVendor, String expectedName) {
        return vendor.equals(expectedVendor) && name.equals(expectedName);
    }
}
