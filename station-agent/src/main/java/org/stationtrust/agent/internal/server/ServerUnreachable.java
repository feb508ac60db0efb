package org.stationtrust.agent.internal.server;

/** No answer from the server (network down, TLS pin mismatch, timeout); worth retrying later except for a pin mismatch. */
public final class ServerUnreachable extends Exception {
    private static final long serialVersionUID = 1L;

    public ServerUnreachable(String message, Throwable cause) {
        super(message, cause);
    }

    /** The server's key is not one the station pins: retrying reaches the same server, an operator must act. */
    public boolean pinMismatch() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof org.stationtrust.agent.PinnedTls.ServerCertificateNotPinned) return true;
        }
        return false;
    }
}
