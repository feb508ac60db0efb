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
        StringBuilder s = new StringBuilder(36).append(String.format("%08x-%04x-%04x-", d1, d2, d3));
        for (int i = 0; i < 8; i++) {
            if (i == 2) {
                s.append('-');
            }
            s.append(String.format("%02x", d4[i] & 0xff));
        }
        return s.toString();
    }
}
