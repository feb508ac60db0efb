package org.stationtrust.agent.internal.fuzz;

/** What a fuzz harness found wrong beyond an exception of the code under test; Jazzer reports it with the input. */
final class FuzzFinding extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FuzzFinding(String message) {
        super(message);
    }
}
