package org.stationtrust.tpm;

/** A persistent handle configured for our keys holds an object that is not ours. */
public final class PersistentHandleConflict extends TpmException {
    private static final long serialVersionUID = 1L;

    public PersistentHandleConflict(String message) {
        super(message);
    }

    public PersistentHandleConflict(String message, Throwable cause) {
        super(message, cause);
    }
}
