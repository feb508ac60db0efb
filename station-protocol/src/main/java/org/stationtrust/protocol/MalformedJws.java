package org.stationtrust.protocol;

/** A compact JWS that is not the strict ES256 form the protocol defines; the message says what was wrong. */
public final class MalformedJws extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedJws(String message) {
        super(message);
    }
}
