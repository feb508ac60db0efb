package org.stationtrust.server.internal.store;

/** Told of each group-commit batch once it committed (metrics); must be cheap and never throw. */
@FunctionalInterface
public interface GroupCommitObserver {
    GroupCommitObserver NONE = (writes, nanos) -> { };

    void committed(int writes, long nanos);
}
