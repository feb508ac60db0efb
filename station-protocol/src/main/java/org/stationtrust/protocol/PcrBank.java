package org.stationtrust.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * The PCR banks a quote may name on the wire (docs/server-api.md, "Attestation"): SHA-256, and SHA-1 for a boot
 * event log that carries nothing stronger. Any other name is refused, never ignored.
 */
public enum PcrBank {
    SHA256("sha256", 32), SHA1("sha1", 20);

    private final String wire;
    private final int valueLength;

    PcrBank(String wire, int valueLength) {
        this.wire = wire;
        this.valueLength = valueLength;
    }

    /** The wire name, as tpm2-tools writes it: {@code sha256}, {@code sha1}. */
    public String wire() {
        return wire;
    }

    /** Bytes in one PCR value of this bank (its hash's digest size). */
    public int valueLength() {
        return valueLength;
    }

    /** The bank a wire name names (exact, lower case), or empty. */
    public static Optional<PcrBank> fromWire(String name) {
        return Arrays.stream(values()).filter(b -> b.wire.equals(name)).findFirst();
    }

    /** The wire names, for error messages. */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(PcrBank::wire).toList());
    }
}
