package org.stationtrust.tpm.eventlog.internal;

import java.nio.charset.StandardCharsets;
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
        // by hand into ASCII bytes: String.format, or even a StringBuilder, per GUID costs more than the rest of
        // reading a signature list
        byte[] s = new byte[36];
        hex(s, 0, d1, 8);
        s[8] = '-';
        hex(s, 9, d2, 4);
        s[13] = '-';
        hex(s, 14, d3, 4);
        s[18] = '-';
        hex(s, 19, d4[0] & 0xff, 2);
        hex(s, 21, d4[1] & 0xff, 2);
        s[23] = '-';
        for (int i = 2; i < 8; i++) {
            hex(s, 24 + (i - 2) * 2, d4[i] & 0xff, 2);
        }
        return new String(s, StandardCharsets.US_ASCII);
    }

    private static void hex(byte[] out, int at, long value, int digits) {
        for (int i = 0; i < digits; i++) {
            out[at + i] = (byte) Character.forDigit((int) (value >>> ((digits - 1 - i) * 4)) & 0xf, 16);
        }
    }
}
