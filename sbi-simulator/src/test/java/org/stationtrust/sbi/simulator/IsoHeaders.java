package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads ISO/IEC 19794 record headers independently of the simulator, asserting their consistency. */
record IsoHeaders(String format, String version, long recordLength, int representations, int quality,
                  int position, int width, int height, byte[] image) {

    /** ISO/IEC 19794-4:2011 finger record with one representation and one quality block. */
    static IsoHeaders finger(byte[] r) {
        ByteBuffer b = ByteBuffer.wrap(r);
        String format = ascii(r, 0, 4);
        String version = ascii(r, 4, 8);
        long recordLength = Integer.toUnsignedLong(b.getInt(8));
        int reps = b.getShort(12);
        assertEquals(r.length, recordLength, "record length field equals the record size");
        long repLength = Integer.toUnsignedLong(b.getInt(16));
        assertEquals(r.length - 16, repLength, "representation length covers the rest of the record");
        int p = 16 + 4 + 9 + 1 + 2 + 2;
        int blocks = r[p] & 0xFF;
        assertEquals(1, blocks, "one quality block");
        int quality = r[p + 1] & 0xFF;
        p += 1 + 5;
        int position = r[p] & 0xFF;
        p += 1 + 1 + 1 + 8;           // position, representation number, scale units, 4 sampling rates
        int bitDepth = r[p] & 0xFF;
        int compression = r[p + 1] & 0xFF;
        assertEquals(8, bitDepth);
        assertEquals(0, compression, "uncompressed");
        p += 3;
        int width = b.getShort(p) & 0xFFFF;
        int height = b.getShort(p + 2) & 0xFFFF;
        long dataLength = Integer.toUnsignedLong(b.getInt(p + 4));
        p += 8;
        assertEquals(r.length - p, dataLength, "image data length matches the bytes that follow");
        assertEquals((long) width * height, dataLength, "uncompressed 8-bit image is width*height bytes");
        return new IsoHeaders(format, version, recordLength, reps, quality, position, width, height,
                Arrays.copyOfRange(r, p, r.length));
    }

    /** ISO/IEC 19794-6:2011 iris record. {@code position} is the eye label. */
    static IsoHeaders iris(byte[] r) {
        ByteBuffer b = ByteBuffer.wrap(r);
        assertEquals(r.length, Integer.toUnsignedLong(b.getInt(8)), "record length field equals the record size");
        assertEquals(r.length - 16, Integer.toUnsignedLong(b.getInt(16)), "representation length");
        int p = 16 + 4 + 9 + 1 + 2 + 2;
        assertEquals(1, r[p] & 0xFF, "one quality block");
        int quality = r[p + 1] & 0xFF;
        p += 6 + 2;                   // quality blocks, representation number
        int eye = r[p] & 0xFF;
        assertEquals(2, r[p + 2] & 0xFF, "image format MONO_RAW");
        int width = b.getShort(p + 4) & 0xFFFF;
        int height = b.getShort(p + 6) & 0xFFFF;
        p += 27;
        long dataLength = Integer.toUnsignedLong(b.getInt(p));
        p += 4;
        assertEquals(r.length - p, dataLength, "image length matches the bytes that follow");
        assertEquals((long) width * height, dataLength);
        return new IsoHeaders(ascii(r, 0, 4), ascii(r, 4, 8), r.length, b.getShort(12), quality, eye, width, height,
                Arrays.copyOfRange(r, p, r.length));
    }

    /** ISO/IEC 19794-5:2011 face record; {@code image} is the JPEG. */
    static IsoHeaders face(byte[] r) {
        ByteBuffer b = ByteBuffer.wrap(r);
        assertEquals(r.length, Integer.toUnsignedLong(b.getInt(8)), "record length field equals the record size");
        assertEquals(r.length - 17, Integer.toUnsignedLong(b.getInt(17)), "representation length");
        int p = 17 + 4 + 9 + 1 + 2 + 2;
        assertEquals(1, r[p] & 0xFF, "one quality block");
        int quality = r[p + 1] & 0xFF;
        p += 6;
        int landmarks = b.getShort(p);
        assertEquals(3, landmarks, "eye centres and nose tip");
        p += 17 + 8 * landmarks;
        assertEquals(0, r[p + 1] & 0xFF, "image data type JPEG");
        int width = b.getShort(p + 2) & 0xFFFF;
        int height = b.getShort(p + 4) & 0xFFFF;
        p += 11;
        long dataLength = Integer.toUnsignedLong(b.getInt(p));
        p += 4;
        assertEquals(r.length - p, dataLength, "image length matches the bytes that follow");
        return new IsoHeaders(ascii(r, 0, 4), ascii(r, 4, 8), r.length, b.getShort(12), quality, 0, width, height,
                Arrays.copyOfRange(r, p, r.length));
    }

    private static String ascii(byte[] r, int from, int to) {
        return new String(r, from, to - from, StandardCharsets.US_ASCII);
    }
}
