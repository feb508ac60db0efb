package org.stationtrust.server;

import java.util.concurrent.Callable;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.audit.AuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** server-enroll audit verify: checks the audit log's hash chain. */
@Command(name = "audit", description = "Audit log", subcommands = AuditCommands.Verify.class)
final class AuditCommands {
    @Command(name = "verify", description = "Check the audit hash chain; exit 1 when broken")
    static final class Verify implements Callable<Integer> {
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            return db.run(d -> {
                AuditChainReport r = new AuditLog(d).verify();
                if (r.intact()) {
                    return DbOptions.printed("audit chain intact: " + r.rows() + " events");
                }
                System.out.println("audit chain BROKEN (" + r.rows() + " events):");
                r.problems().forEach(p -> System.out.println("  " + p));
                return 1;
            });
        }
    }
}
