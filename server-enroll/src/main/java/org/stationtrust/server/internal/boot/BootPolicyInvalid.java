package org.stationtrust.server.internal.boot;

/** A boot policy that cannot be loaded: unknown rule, wrong type, bad value. Never read as "allow". */
public final class BootPolicyInvalid extends Exception {
    private static final long serialVersionUID = 1L;

    public BootPolicyInvalid(String message) {
        super(message);
    }
}
