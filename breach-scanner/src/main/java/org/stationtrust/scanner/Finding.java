package org.stationtrust.scanner;

import java.util.Objects;

/**
 * One place where sensitive data was found. It names the place and the kind, never the value:
 * a report must be safe to paste into a ticket.
 *
 * @param location file path, or database, table, column and row
 * @param kind     what was found
 * @param form     how it was written there: {@code raw}, {@code base64 (alignment 1)}, {@code hex}, ...
 * @param offset   byte offset of the match within the file or the cell
 */
public record Finding(String location, FindingKind kind, String form, long offset) {
    public Finding {
        Objects.requireNonNull(location);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(form);
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }

    /** One report line: {@code FINDING kind=... form=... offset=... location=...}. */
    public String line() {
        return "FINDING kind=" + kind.label() + " form=" + form.replace(' ', '_') + " offset=" + offset + " location=" + location;
    }
}
