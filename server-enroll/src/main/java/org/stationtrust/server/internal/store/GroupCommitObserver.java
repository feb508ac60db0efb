package org.stationtrust.server.internal.store;

/** Told of each group-commit batch once it committed (metrics); must be cheap and never throw. */
@FunctionalInterface
public interface GroupCommitObserver {
    GroupCommitObserver NONE = (writes, nanos) -> { };

    void committed(int writes, long nanos);

    /** A batch in which one write failed, rolled back and then run again write by write. */
    default void retriedAlone() {
    }
}
