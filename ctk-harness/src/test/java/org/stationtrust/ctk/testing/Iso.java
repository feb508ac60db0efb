package org.stationtrust.ctk.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Minimal ISO/IEC 19794 records with correct general headers, for check tests. */
public final class Iso {
    private Iso() {
    }

    /** A 19794-4:2011 finger record: 16-byte header and one representation of {@code body} bytes. */
    public static byte[] fingerRecord(int body) {
        return record("FIR", "020", 16, body);
    }

    public static byte[] irisRecord(int body) {
        return record("IIR", "020", 16, body);
    }

    /** A 19794-5:2011 face record: 17-byte header (with temporal semantics). */
    public static byte[] faceRecord(int body) {
        return record("FAC", "030", 17, body);
    }

    static byte[] record(String id, String version, int header, int body) {
        int rep = 4 + body;
        ByteBuffer b = ByteBuffer.allocate(header + rep);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        b.put(version.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        b.putInt(header + rep);
        b.putShort((short) 1);
        b.put((byte) 0);
        b.position(header);
        b.putInt(rep);
        return b.array();
    }
}
