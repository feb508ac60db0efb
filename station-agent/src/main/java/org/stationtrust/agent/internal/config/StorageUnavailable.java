package org.stationtrust.agent.internal.config;

/**
 * A store in the state directory (offline queue, registration chains) could not be read or written: disk full,
 * read-only file system, permissions. The operator fixes it; the local API answers {@code storage_unavailable}.
 */
public class StorageUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code what} failed (e.g. "cannot write to the offline queue") because of {@code cause}. */
    public StorageUnavailable(String what, Throwable cause) {
        super(what + ": " + cause.getMessage() + "; check the state directory's disk space and permissions", cause);
    }
}
