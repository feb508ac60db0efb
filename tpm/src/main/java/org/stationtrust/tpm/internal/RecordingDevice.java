package org.stationtrust.tpm.internal;

import tss.TpmDevice;

/**
 * Wraps a TSS.Java device and remembers the last command and response bytes, so that the raw
 * response code can be read after a command that TSS.Java was told to let fail.
 */
public final class RecordingDevice extends TpmDevice {
    private final TpmDevice inner;
    private byte[] lastCommand = new byte[0];
    private byte[] lastResponse = new byte[0];
    private long commands;

    public RecordingDevice(TpmDevice inner) {
        this.inner = inner;
    }

    public TpmDevice inner() {
        return inner;
    }

    @Override
    public boolean connect() {
        return inner.connect();
    }

    @Override
    public void dispatchCommand(byte[] command) {
        lastCommand = command;
        commands++;
        lastResponse = new byte[0];
        inner.dispatchCommand(command);
    }

    @Override
    public byte[] getResponse() {
        lastResponse = inner.getResponse();
        return lastResponse;
    }

    @Override
    public boolean responseReady() {
        return inner.responseReady();
    }

    @Override
    public void close() {
        inner.close();
    }

    /** The raw response code of the last response, or -1 when there was none. */
    public int lastResponseCode() {
        byte[] r = lastResponse;
        if (r.length < 10) {
            return -1;
        }
        return ((r[6] & 0xFF) << 24) | ((r[7] & 0xFF) << 16) | ((r[8] & 0xFF) << 8) | (r[9] & 0xFF);
    }

    /** How many commands were sent: tests use it to prove one TPM command per signature. */
    public long commandCount() {
        return commands;
    }

    public byte[] lastCommand() {
        return lastCommand.clone();
    }

    public byte[] lastResponse() {
        return lastResponse.clone();
    }
}
