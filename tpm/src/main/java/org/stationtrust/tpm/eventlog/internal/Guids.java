package org.stationtrust.tpm.eventlog.internal;

import org.stationtrust.tpm.eventlog.MalformedEventLog;

/** EFI_GUID: three little-endian fields then eight bytes in order (UEFI 2.x Appendix A). */
public final class Guids {
    private Guids() {
    }

    public static String read(LeReader r, String field) throws MalformedEventLog {
        long d1 = r.u32(field);
        int d2 = r.u16(field);
        int d3 = r.u16(field);
        byte[] d4 = r.bytes(field, 8);
        // by hand: String.format per GUID costs more than the rest of reading a signature list
        StringBuilder s = new StringBuilder(36);
        hex(s, d1, 8).append('-');
        hex(s, d2, 4).append('-');
        hex(s, d3, 4).append('-');
        for (int i = 0; i < 8; i++) {
            if (i == 2) {
                s.append('-');
            }
            hex(s, d4[i] & 0xff, 2);
        }
        return s.toString();
    }

    private static StringBuilder hex(StringBuilder s, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            s.append(Character.forDigit((int) (value >>> shift) & 0xf, 16));
        }
        return s;
    }
}
