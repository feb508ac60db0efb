package org.stationtrust.tpm.verify.internal;

import java.util.Arrays;
import java.util.HexFormat;
import org.stationtrust.tpm.verify.MalformedTpmStructure;

/**
 * A bounded big-endian reader over TPM wire bytes (TPM 2.0 Part 2 §5: all integers big-endian).
 * Every read checks the remaining length first; every failure names the structure, the field, the
 * offset, what was expected and what was seen.
 */
public final class TpmReader {
    private final byte[] data;
    private final String structure;
    private int offset;

    public TpmReader(byte[] data, String structure, int maxSize) throws MalformedTpmStructure {
        this.structure = structure;
        if (data == null) {
            throw new MalformedTpmStructure(structure + ": expected bytes, got null");
        }
        if (data.length > maxSize) {
            throw new MalformedTpmStructure(structure + ": expected at most " + maxSize
                    + " bytes, got " + data.length + "; this is not a " + structure);
        }
        this.data = data;
    }

    public int offset() {
        return offset;
    }

    public int remaining() {
        return data.length - offset;
    }

    public int u8(String field) throws MalformedTpmStructure {
        require(field, 1);
        return data[offset++] & 0xff;
    }

    public int u16(String field) throws MalformedTpmStructure {
        require(field, 2);
        int v = ((data[offset] & 0xff) << 8) | (data[offset + 1] & 0xff);
        offset += 2;
        return v;
    }

    /** An unsigned 32-bit value in a long, so that no caller sees a negative size. */
    public long u32(String field) throws MalformedTpmStructure {
        require(field, 4);
        long v = ((long) (data[offset] & 0xff) << 24) | ((data[offset + 1] & 0xff) << 16)
                | ((data[offset + 2] & 0xff) << 8) | (data[offset + 3] & 0xff);
        offset += 4;
        return v;
    }

    public long u64(String field) throws MalformedTpmStructure {
        long high = u32(field);
        long low = u32(field);
        return (high << 32) | low;
    }

    public byte[] bytes(String field, int length) throws MalformedTpmStructure {
        require(field, length);
        byte[] out = Arrays.copyOfRange(data, offset, offset + length);
        offset += length;
        return out;
    }

    /** A TPM2B: a 16-bit size then that many bytes; the size is checked against max before reading. */
    public byte[] sized(String field, int max) throws MalformedTpmStructure {
        int start = offset;
        int size = u16(field + ".size");
        if (size > max) {
            throw failAt(start, field + ".size", "at most " + max, String.valueOf(size));
        }
        return bytes(field, size);
    }

    /** Rejects anything after the structure: a signed blob with extra bytes is not the blob we parsed. */
    public void expectEnd() throws MalformedTpmStructure {
        if (remaining() != 0) {
            throw failAt(offset, "end of structure", "no further bytes",
                    remaining() + " trailing byte(s)");
        }
    }

    public MalformedTpmStructure fail(String field, String expected, String seen) {
        return failAt(offset, field, expected, seen);
    }

    public MalformedTpmStructure failAt(int at, String field, String expected, String seen) {
        return new MalformedTpmStructure(structure + "." + field + " at offset " + at + ": expected "
                + expected + ", got " + seen + "; the bytes are corrupt, truncated or not a "
                + structure);
    }

    private void require(String field, int length) throws MalformedTpmStructure {
        if (length < 0 || length > remaining()) {
            throw fail(field, length + " byte(s)", "only " + remaining() + " left (input is "
                    + data.length + " bytes, truncated?)");
        }
    }

    public static String hex16(int value) {
        return "0x" + HexFormat.of().toHexDigits((short) value);
    }

    public static String hex32(long value) {
        return "0x" + HexFormat.of().toHexDigits((int) value);
    }
}
