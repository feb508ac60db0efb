package org.stationtrust.tpm.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import tss.TpmDevice;

/**
 * swtpm's TCP command channel: raw TPM command bytes in, raw response bytes out. (TSS.Java's
 * TpmDeviceTcp speaks the Microsoft simulator framing, which swtpm does not.)
 */
public final class SwtpmSocketDevice extends TpmDevice {
    /** Larger than any TPM 2.0 response (TPM_PT_MAX_RESPONSE_SIZE is typically 4 KiB). */
    static final int MAX_RESPONSE = 64 * 1024;
    private static final int HEADER = 10;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private byte[] response;

    private SwtpmSocketDevice(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects, or throws the IOException (refused, timed out) for the caller to type. */
    public static SwtpmSocketDevice connect(String host, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            return new SwtpmSocketDevice(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and returns the whole response: the raw path the benchmark measures. */
    public byte[] transact(byte[] command) throws IOException {
        out.write(command);
        out.flush();
        byte[] header = new byte[HEADER];
        in.readFully(header);
        int size = ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        if (size < HEADER || size > MAX_RESPONSE) {
            throw new IOException("swtpm sent a response header with size " + size + " (expected 10.." + MAX_RESPONSE + ")");
        }
        byte[] whole = new byte[size];
        System.arraycopy(header, 0, whole, 0, HEADER);
        in.readFully(whole, HEADER, size - HEADER);
        return whole;
    }

    @Override
    public boolean connect() {
        return socket.isConnected();
    }

    @Override
    public void dispatchCommand(byte[] command) {
        try {
            response = transact(command);
        } catch (IOException e) {
            response = null;
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] getResponse() {
        byte[] r = response;
        response = null;
        if (r == null) {
            throw new UncheckedIOException(new IOException("no response from swtpm"));
        }
        return r;
    }

    @Override
    public boolean responseReady() {
        return true;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket we are done with; nothing to recover
        }
    }
}
