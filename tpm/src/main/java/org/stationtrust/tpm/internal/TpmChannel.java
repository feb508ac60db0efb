package org.stationtrust.tpm.internal;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.stationtrust.tpm.TpmException;
import org.stationtrust.tpm.TpmProtocolError;
import org.stationtrust.tpm.TpmUnreachable;

import tss.Tpm;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.TPML_HANDLE;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;

/**
 * The one place where TSS.Java commands run. Every command is sent with errors allowed, and the raw
 * response code is turned into a typed {@link TpmException}; no TSS.Java exception escapes.
 * Commands are serialized: a TPM connection carries one command at a time.
 */
public final class TpmChannel implements AutoCloseable {
    private final Tpm tpm;
    private final RecordingDevice device;
    private final String description;

    public TpmChannel(RecordingDevice device, String description) {
        this.device = device;
        this.description = description;
        this.tpm = new Tpm();
        this.tpm._setDevice(device);
    }

    /** Runs one TPM command and returns its result, or throws the typed error for its response code. */
    public synchronized <T> T call(String command, Function<Tpm, T> operation) throws TpmException {
        T result;
        try {
            tpm._allowErrors();
            result = operation.apply(tpm);
        } catch (UncheckedIOException e) {
            throw unreachable(command, e);
        } catch (RuntimeException e) {
            int rc = device.lastResponseCode();
            if (rc > 0) {
                throw ResponseCodes.toException(command, rc);
            }
            if (e.getCause() instanceof java.io.IOException io) {
                throw unreachable(command, new UncheckedIOException(io));
            }
            throw new TpmProtocolError(command + " on " + description + " returned a response that could not be "
                    + "decoded (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); the TPM or the "
                    + "connection is misbehaving: check that nothing else talks to it", e);
        }
        int rc = device.lastResponseCode();
        if (rc != 0) {
            if (rc < 0) {
                throw new TpmProtocolError(command + " on " + description + " got no complete response header");
            }
            throw ResponseCodes.toException(command, rc);
        }
        return result;
    }

    /**
     * Runs one TPM command that has no response handles and returns its raw response parameter area,
     * exactly as the TPM produced it (signed structures must not go through a re-encoding).
     */
    public synchronized byte[] callForParameters(String command, Consumer<Tpm> operation) throws TpmException {
        run(command, operation);
        byte[] r = device.lastResponse();
        int tag = ((r[0] & 0xFF) << 8) | (r[1] & 0xFF);
        if (tag != 0x8002) {
            return java.util.Arrays.copyOfRange(r, 10, r.length);
        }
        if (r.length < 14) {
            throw new TpmProtocolError(command + " returned a " + r.length + "-byte response without a parameter size");
        }
        int size = ((r[10] & 0xFF) << 24) | ((r[11] & 0xFF) << 16) | ((r[12] & 0xFF) << 8) | (r[13] & 0xFF);
        if (size < 0 || size > r.length - 14) {
            throw new TpmProtocolError(command + " returned parameter size " + size + " in a " + r.length + "-byte response");
        }
        return java.util.Arrays.copyOfRange(r, 14, 14 + size);
    }

    /** Runs one TPM command that returns nothing. */
    public void run(String command, Consumer<Tpm> operation) throws TpmException {
        call(command, t -> {
            operation.accept(t);
            return null;
        });
    }

    /** Flushes a transient object or session; used in finally blocks, so it never throws. */
    public void flushQuietly(TPM_HANDLE handle) {
        if (handle == null) {
            return;
        }
        try {
            run("TPM2_FlushContext", t -> t.FlushContext(handle));
        } catch (TpmException e) {
            // already gone or the TPM is unreachable: the original error, if any, is the one to report
        }
    }

    /**
     * Flushes every loaded transient object and session. swtpm keeps what a previous client left
     * loaded (it holds only 3 transient objects), so a fresh connection starts by clearing it.
     */
    public void flushLeftovers() throws TpmException {
        java.util.Set<Integer> flushed = new java.util.HashSet<>();
        for (int first : new int[] {0x80000000, 0x02000000, 0x03000000}) {
            for (TPM_HANDLE h : handles(first)) {
                if (flushed.add(h.handle)) {
                    run("TPM2_FlushContext", t -> t.FlushContext(h));
                }
            }
        }
    }

    /** Lists handles of one type (the top byte of {@code first}), e.g. persistent 0x81000000. */
    public List<TPM_HANDLE> handles(int first) throws TpmException {
        GetCapabilityResponse caps = call("TPM2_GetCapability", t -> t.GetCapability(TPM_CAP.HANDLES, first, 64));
        List<TPM_HANDLE> out = new ArrayList<>();
        if (caps.capabilityData instanceof TPML_HANDLE list && list.handle != null) {
            for (TPM_HANDLE h : list.handle) {
                int type = h.handle >>> 24;
                // loaded sessions are listed under 0x02 whether HMAC (0x02) or policy (0x03) sessions
                if (type == (first >>> 24) || (first >>> 24 == 0x02 && type == 0x03)) {
                    out.add(h);
                }
            }
        }
        return out;
    }

    /** The last raw command sent: the benchmark replays it to measure the raw transport limit. */
    public byte[] lastCommand() {
        return device.lastCommand();
    }

    public RecordingDevice device() {
        return device;
    }

    public String description() {
        return description;
    }

    private TpmUnreachable unreachable(String command, UncheckedIOException e) {
        return new TpmUnreachable("lost the connection to " + description + " during " + command + " ("
                + e.getCause().getMessage() + "); check that the TPM or simulator is running and that no other "
                + "client holds its connection (swtpm serves one client at a time), then reconnect", e);
    }

    @Override
    public synchronized void close() {
        device.close();
    }
}
