package org.stationtrust.scanner;

/** A source could not be scanned (missing, unreadable, not a database); the message names it and what to do. */
public class ScanFailed extends Exception {
    private static final long serialVersionUID = 1L;

    public ScanFailed(String message, Throwable cause) {
        super(message, cause);
    }

    public ScanFailed(String message) {
        super(message);
    }
}
