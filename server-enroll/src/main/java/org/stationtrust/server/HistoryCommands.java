package org.stationtrust.server;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.store.AttestationHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** server-enroll history prune: removes old attestation history. */
@Command(name = "history", description = "Attestation history", subcommands = HistoryCommands.Prune.class)
final class HistoryCommands {
    @Command(name = "prune", description = "Remove attestation history recorded before now minus --older-than")
    static final class Prune implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Option(names = "--older-than", required = true, description = "ISO-8601 age, at least P7D (e.g. P400D)")
        Duration age;

        @Override
        public Integer call() {
            return db.run(d -> {
                AttestationHistory.Pruned p = new AttestationHistory(d).pruneOlderThan(age, java.time.Instant.now());
                new AuditLog(d).append("cli", "attestation_history.prune", "-", AuditOutcome.OK,
                        "removed " + p.describe());
                return DbOptions.printed("removed " + p.describe());
            });
        }
    }
}
