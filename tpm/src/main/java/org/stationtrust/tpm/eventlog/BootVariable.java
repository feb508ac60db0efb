package org.stationtrust.tpm.eventlog;

import java.util.Objects;

/**
 * An EV_EFI_VARIABLE_BOOT(2) event of PCR 1 (BootOrder, Boot####) whose digest matched one of the two
 * conventions firmware uses: the whole UEFI_VARIABLE_DATA (AMI style) or the variable data only
 * (EDK2, HP, Lenovo).
 */
public record BootVariable(int event, String name, Convention convention) {
    public enum Convention { WHOLE_STRUCTURE, DATA_ONLY }

    public BootVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(convention, "convention");
    }
}
