package org.stationtrust.tpm.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * swtpm's TCP command channel: raw TPM command bytes in, raw response bytes out. (TSS.Java's
 * TpmDeviceTcp speaks the Microsoft simulator framing, which swtpm does not.)
 */
public final class SwtpmSocketDevice extends SynchronousTpmDevice {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

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
    @Override
    public byte[] transact(byte[] command) throws IOException {
        out.write(command);
        out.flush();
        byte[] header = new byte[HEADER];
        in.readFully(header);
        int size = announcedSize(header, MAX_RESPONSE);
        byte[] whole = new byte[size];
        System.arraycopy(header, 0, whole, 0, HEADER);
        in.readFully(whole, HEADER, size - HEADER);
        return whole;
    }

    @Override
    String peer() {
        return "swtpm";
    }

    @Override
    public boolean connect() {
        return socket.isConnected();
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
