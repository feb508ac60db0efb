package org.stationtrust.protocol;

/** A JWS payload that is not a capture packet of this version; the message says which rule it broke. */
public final class InvalidCapturePacket extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidCapturePacket(String message) {
        super(message);
    }
}
