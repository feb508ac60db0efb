package org.stationtrust.tpm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import tss.TpmDevice;

/**
 * A TPM transport that answers each command before the next one is sent (swtpm's socket, the kernel's
 * character device): TSS.Java's dispatch/response pair becomes one {@link #transact} call, and response
 * framing (TPM 2.0 Part 1: a 10-byte header whose bytes 2-5 give the whole size) is read the same way.
 */
abstract class SynchronousTpmDevice extends TpmDevice {
    /** Larger than any TPM 2.0 response (TPM_PT_MAX_RESPONSE_SIZE is typically 4 KiB). */
    static final int MAX_RESPONSE = 64 * 1024;
    static final int HEADER = 10;

    private byte[] response;

    /** Sends one command and returns the whole response. */
    public abstract byte[] transact(byte[] command) throws IOException;

    /** Who answers, for error messages. */
    abstract String peer();

    /** The response size a header announces, or an IOException naming the peer when it is out of bounds. */
    final int announcedSize(byte[] header, int limit) throws IOException {
        int size = ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        if (size < HEADER || size > limit) {
            throw new IOException(peer() + " sent a response header with size " + size + " (expected " + HEADER + ".."
                    + limit + ")");
        }
        return size;
    }

    @Override
    public final void dispatchCommand(byte[] command) {
        try {
            response = transact(command);
        } catch (IOException e) {
            response = null;
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public final byte[] getResponse() {
        byte[] r = response;
        response = null;
        if (r == null) {
            throw new UncheckedIOException(new IOException("no response from " + peer()));
        }
        return r;
    }

    @Override
    public final boolean responseReady() {
        return true;
    }
}
