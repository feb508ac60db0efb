package org.stationtrust.tpm.eventlog;

import java.util.Objects;

/**
 * An EV_EFI_BOOT_SERVICES_APPLICATION of PCR 4: the image digest (its Authenticode hash, trusted
 * through the replay) and the file path from the event data, shown only (not covered by the digest).
 */
public record BootApplication(int event, String digest, String path) {
    public BootApplication {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(path, "path");
    }
}
