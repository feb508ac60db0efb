package org.stationtrust.ctk.internal.iso;

/** A bioValue that is not a well-formed ISO 19794 record; the message says which field and why. */
public final class IsoFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public IsoFormatException(String message) {
        super(message);
    }
}
