package org.stationtrust.agent.internal.server;

/** The server answered, and refused: its HTTP status, error code and message (docs/server-api.md error body). */
public final class ServerRefused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public ServerRefused(int status, String code, String message) {
        super("the server refused (HTTP " + status + " " + code + "): " + message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
