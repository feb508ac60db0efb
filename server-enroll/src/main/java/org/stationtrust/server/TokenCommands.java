package org.stationtrust.server;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.PasswordHasher;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** server-enroll token issue: an operator's API token or a one-time station enrollment token. */
@Command(name = "token", description = "Issue tokens", subcommands = TokenCommands.Issue.class)
final class TokenCommands {
    @Command(name = "issue", description = "Issue an API token for --user, or a one-time --enrollment token")
    static final class Issue implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Option(names = "--user", description = "operator the API token acts as")
        String user;
        @Option(names = "--enrollment", description = "issue a one-time station enrollment token instead")
        boolean enrollment;
        @Option(names = "--ttl", defaultValue = "PT8H", description = "lifetime, ISO-8601 (default PT8H)")
        Duration ttl;
        @Option(names = "--label", defaultValue = "cli", description = "label or note")
        String label;

        @Override
        public Integer call() {
            if (enrollment == (user != null)) {
                throw new IllegalArgumentException("Give exactly one of --user <name> or --enrollment");
            }
            return db.run(d -> {
                if (enrollment) {
                    String token = Secrets.newToken("ste_");
                    String id = Secrets.newId();
                    new EnrollmentTokenStore(d).create(id, Secrets.digest(token), "cli", label,
                            System.currentTimeMillis() + ttl.toMillis());
                    new AuditLog(d).append("cli", "enrollment_token.issue", id, AuditOutcome.OK,
                            "note '" + label + "'");
                    return DbOptions.printed(token);
                }
                Authenticator auth = new Authenticator(new UserStore(d), new CredentialStore(d),
                        new PasswordHasher(), Duration.ofMinutes(1));
                String token = auth.issueApiToken(user, label, ttl);
                new AuditLog(d).append("cli", "api_token.issue", user, AuditOutcome.OK, "label '" + label + "'");
                return DbOptions.printed(token);
            });
        }
    }
}
