package org.stationtrust.sbi.simulator;

/** The simulator could not start or could not do what was asked (port, key, certificate, file). */
public class SimulatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulatorException(String message) {
        super(message);
    }

    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
