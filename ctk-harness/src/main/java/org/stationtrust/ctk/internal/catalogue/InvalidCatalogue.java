package org.stationtrust.ctk.internal.catalogue;

/** The catalogue breaks a rule (duplicate id, unknown validator or method, MOSIP id not accounted for). */
public final class InvalidCatalogue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidCatalogue(String message) {
        super(message + " (fix src/main/resources/catalogue/sbi-0.9.5.json or tools/generate_catalogue.py)");
    }
}
