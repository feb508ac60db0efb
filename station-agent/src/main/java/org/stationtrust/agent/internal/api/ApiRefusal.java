package org.stationtrust.agent.internal.api;

/**
 * A request the agent refuses, with an HTTP status, a stable machine-readable code, and a reason the
 * operator can read (what was expected, what was seen, what to do). Never carries secrets.
 */
public final class ApiRefusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public ApiRefusal(int status, String code, String reason) {
        super(reason);
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
