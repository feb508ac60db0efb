package org.stationtrust.tpm.eventlog;

import java.util.Objects;

/**
 * An EV_EFI_VARIABLE_AUTHORITY event: the db entry (or shim's MokList/vendor certificate) that
 * verified a boot application (PC Client PFP §3.3.4.8).
 *
 * @param source the variable the authority came from ("db", "MokList", "Shim", ...)
 */
public record BootAuthority(String source, SignatureEntry entry) {
    public BootAuthority {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(entry, "entry");
    }
}
