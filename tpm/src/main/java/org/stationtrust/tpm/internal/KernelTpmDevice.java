package org.stationtrust.tpm.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A Linux TPM character device opened at exactly the path given. TSS.Java's TpmDeviceLinux is not
 * used: it falls back to /dev/tpm0 (no resource manager) when /dev/tpmrm0 fails to open, throws an
 * unchecked exception from its constructor, and polls reads with 200 ms sleeps.
 */
public final class KernelTpmDevice extends SynchronousTpmDevice {
    private final Path path;
    private final RandomAccessFile file;

    private KernelTpmDevice(Path path, RandomAccessFile file) {
        this.path = path;
        this.file = file;
    }

    /** Opens {@code path} for reading and writing, or throws the IOException for the caller to type. */
    public static KernelTpmDevice open(Path path) throws IOException {
        return new KernelTpmDevice(path, new RandomAccessFile(path.toFile(), "rw"));
    }

    /** Sends one command; the kernel answers a read with the whole response (TPM 2.0 Part 1, command/response framing). */
    @Override
    public byte[] transact(byte[] command) throws IOException {
        file.write(command);
        byte[] buffer = new byte[MAX_RESPONSE];
        int filled = 0;
        int size = Integer.MAX_VALUE;
        while (filled < size) {
            int n = file.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IOException(path + " ended after " + filled + " response bytes; it does not behave like a TPM");
            }
            filled += n;
            if (size == Integer.MAX_VALUE && filled >= HEADER) {
                size = announcedSize(buffer, buffer.length);
            }
        }
        if (filled != size) {
            throw new IOException(path + " sent " + filled + " bytes for a response of " + size);
        }
        return java.util.Arrays.copyOf(buffer, size);
    }

    @Override
    String peer() {
        return path.toString();
    }

    @Override
    public boolean connect() {
        return true;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // closing a device we are done with; nothing to recover
        }
    }
}
