package org.stationtrust.server.internal.boot;

import java.io.PrintStream;
import java.util.List;
import org.stationtrust.tpm.eventlog.BootState;
import org.stationtrust.tpm.eventlog.SignatureEntry;

/** The boot state as lines of text for the command line. */
final class BootStateText {
    private BootStateText() {
    }

    static void print(PrintStream out, BootState s) {
        out.println("Secure Boot: " + s.secureBoot());
        out.println("firmware versions: " + s.firmwareVersions());
        entries(out, "PK", s.pk());
        entries(out, "KEK", s.kek());
        entries(out, "db", s.db());
        out.println("dbx: " + s.dbx().size() + " entries");
        s.authorities().forEach(a -> out.println("authority (" + a.source() + ", event #" + a.entry().event() + "): "
                + a.entry().describe()));
        s.bootApplications().forEach(a -> out.println("boot application (event #" + a.event() + "): " + a.path()
                + " sha256 " + a.digest()));
        s.bootVariables().forEach(v -> out.println("boot variable " + v.name() + ": digest over "
                + v.convention().name().toLowerCase(java.util.Locale.ROOT)));
        out.println("separators: " + s.separators().size() + ", Exit Boot Services logged: " + s.exitBootServices());
        if (!s.debugFlags().isEmpty()) {
            out.println("debug: " + s.debugFlags());
        }
        s.notes().forEach(n -> out.println("note: " + n));
    }

    private static void entries(PrintStream out, String name, List<SignatureEntry> entries) {
        entries.forEach(e -> out.println(name + ": " + e.describe()));
    }
}
