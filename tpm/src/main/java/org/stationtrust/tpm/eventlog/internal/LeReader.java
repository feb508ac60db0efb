package org.stationtrust.tpm.eventlog.internal;

import java.util.Arrays;
import org.stationtrust.tpm.eventlog.MalformedEventLog;

/**
 * A bounded little-endian reader: UEFI and the TCG PC Client Platform Firmware Profile (§10.2)
 * store event log integers little-endian, unlike TPM commands. Every read checks the remaining
 * length before touching the array; every failure names the field and its absolute offset in the log.
 */
public final class LeReader {
    private final byte[] data;
    private final int end;
    private final long base;
    private int position;

    /** Reads data[from, to) and reports offsets as base + (position - from). */
    private LeReader(byte[] data, int from, int to, long base) {
        this.data = data;
        this.position = from;
        this.end = to;
        this.base = base - from;
    }

    public static LeReader of(byte[] data) {
        return new LeReader(data, 0, data.length, 0);
    }

    /** A reader over a region of an event's data whose first byte lies at {@code logOffset} in the log. */
    public static LeReader of(byte[] data, long logOffset) {
        return new LeReader(data, 0, data.length, logOffset);
    }

    /** A reader over data[from, to), whose byte {@code from} lies at {@code logOffset} in the log. */
    public static LeReader of(byte[] data, int from, int to, long logOffset) {
        if (from < 0 || to > data.length || from > to) {
            throw new IndexOutOfBoundsException("region [" + from + ", " + to + ") of " + data.length + " bytes");
        }
        return new LeReader(data, from, to, logOffset);
    }

    /** Absolute offset of the next byte in the log. */
    public long offset() {
        return base + position;
    }

    public int remaining() {
        return end - position;
    }

    public boolean atEnd() {
        return position == end;
    }

    public int u8(String field) throws MalformedEventLog {
        require(field, 1);
        return data[position++] & 0xff;
    }

    public int u16(String field) throws MalformedEventLog {
        require(field, 2);
        int v = (data[position] & 0xff) | ((data[position + 1] & 0xff) << 8);
        position += 2;
        return v;
    }

    /** An unsigned 32-bit value in a long: no caller ever sees a negative size. */
    public long u32(String field) throws MalformedEventLog {
        require(field, 4);
        long v = (data[position] & 0xffL) | ((data[position + 1] & 0xffL) << 8)
                | ((data[position + 2] & 0xffL) << 16) | ((data[position + 3] & 0xffL) << 24);
        position += 4;
        return v;
    }

    /** A 64-bit value; sizes read with it are checked against the remaining bytes before use. */
    public long u64(String field) throws MalformedEventLog {
        long low = u32(field);
        long high = u32(field);
        return (high << 32) | low;
    }

    /** Reads length bytes, checked against what is left first, so a forged size allocates nothing. */
    public byte[] bytes(String field, long length) throws MalformedEventLog {
        require(field, length);
        byte[] out = Arrays.copyOfRange(data, position, position + (int) length);
        position += (int) length;
        return out;
    }

    /**
     * {@link #u16} of the field {@code array[index].member}; its name is written only if the read fails (a log has
     * thousands of these fields).
     */
    public int u16(String array, int index, String member) throws MalformedEventLog {
        if (remaining() < 2) {
            throw fail(array + "[" + index + "]." + member, "2 byte(s)", "only " + remaining()
                    + " left (truncated, or a forged size)");
        }
        return u16(array);
    }

    /**
     * Skips {@code length} bytes and returns the index in the array where they start: for a caller that keeps the
     * array and refers to regions of it instead of copying each.
     */
    public int take(String field, long length) throws MalformedEventLog {
        require(field, length);
        int start = position;
        position += (int) length;
        return start;
    }

    /** {@link #take} of the field {@code array[index].member}, named only if the read fails. */
    public int take(String array, int index, String member, long length) throws MalformedEventLog {
        if (length < 0 || length > remaining()) {
            return take(array + "[" + index + "]." + member, length);
        }
        return take(array, length);
    }

    public void skip(String field, long length) throws MalformedEventLog {
        require(field, length);
        position += (int) length;
    }

    /** Fails unless every byte was consumed. */
    public void expectEnd(String structure) throws MalformedEventLog {
        if (position != end) {
            throw fail(structure, "no further bytes", remaining() + " trailing byte(s)");
        }
    }

    public MalformedEventLog fail(String field, String expected, String seen) {
        return new MalformedEventLog(offset(), field + ": expected " + expected + ", got " + seen);
    }

    public MalformedEventLog failAt(long at, String field, String expected, String seen) {
        return new MalformedEventLog(at, field + ": expected " + expected + ", got " + seen);
    }

    private void require(String field, long length) throws MalformedEventLog {
        if (length < 0 || length > remaining()) {
            throw fail(field, length + " byte(s)", "only " + remaining() + " left (truncated, or a forged size)");
        }
    }
}
