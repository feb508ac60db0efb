package org.stationtrust.tpm.internal;

import java.util.Arrays;

import org.stationtrust.tpm.TpmProtocolError;

/** Reads TPM2B fields out of raw response parameter areas, with bounds checks. */
public final class Wire {
    private final byte[] data;
    private final String what;
    private int offset;

    public Wire(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    /** Reads a TPM2B (u16 size + bytes) and returns its content. */
    public byte[] sized(String field) throws TpmProtocolError {
        if (offset + 2 > data.length) {
            throw new TpmProtocolError(what + ": " + field + " size missing at offset " + offset + " of " + data.length);
        }
        int size = ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
        if (offset + 2 + size > data.length) {
            throw new TpmProtocolError(what + ": " + field + " claims " + size + " bytes, only "
                    + (data.length - offset - 2) + " remain");
        }
        byte[] out = Arrays.copyOfRange(data, offset + 2, offset + 2 + size);
        offset += 2 + size;
        return out;
    }

    /** The bytes not read yet. */
    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(data, offset, data.length);
        offset = data.length;
        return out;
    }
}
