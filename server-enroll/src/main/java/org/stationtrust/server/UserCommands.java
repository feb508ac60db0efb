package org.stationtrust.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.OperatorAccounts;
import org.stationtrust.server.internal.auth.PasswordHasher;
import org.stationtrust.server.internal.auth.SecretSource;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** server-enroll user: add, disable, enable, remove and reset-password an operator. */
@Command(name = "user", description = "Manage operators", subcommands = {UserCommands.Add.class,
        UserCommands.Disable.class, UserCommands.Enable.class, UserCommands.Remove.class,
        UserCommands.ResetPassword.class})
final class UserCommands {
    /** disable, enable, remove, reset-password: one operator, a reason; audited with actor "cli". */
    abstract static class Change implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Parameters(index = "0", description = "user name")
        String username;
        @Option(names = "--reason", required = true, description = "why (3-500 characters, audited)")
        String reason;

        /** Makes the change and prints its result; the answer is the exit code. */
        abstract int apply(OperatorAccounts accounts);

        @Override
        public Integer call() {
            try {
                return db.run(d -> apply(accounts(d)));
            } catch (ApiException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        /** Prints "disabled bob", "enabled bob", "removed bob": the command's name in the past tense. */
        int done() {
            return DbOptions.printed(getClass().getAnnotation(Command.class).name() + "d " + username);
        }
    }

    static OperatorAccounts accounts(Database d) {
        return new OperatorAccounts(d, new UserStore(d), new CredentialStore(d), new PasswordHasher(), new AuditLog(d));
    }

    @Command(name = "disable", description = "Disable an operator: sessions end, API tokens are revoked")
    static final class Disable extends Change {
        @Override
        int apply(OperatorAccounts a) {
            a.disable("cli", null, username, reason);
            return done();
        }
    }

    @Command(name = "enable", description = "Enable a disabled operator")
    static final class Enable extends Change {
        @Override
        int apply(OperatorAccounts a) {
            a.enable("cli", username, reason);
            return done();
        }
    }

    @Command(name = "remove", description = "Remove an operator with their sessions and tokens")
    static final class Remove extends Change {
        @Override
        int apply(OperatorAccounts a) {
            a.remove("cli", null, username, reason);
            return done();
        }
    }

    @Command(name = "reset-password", description = "Print a one-time password reset token (1 h), to be used at "
            + "/reset-password or POST /api/v1/password-resets")
    static final class ResetPassword extends Change {
        @Override
        int apply(OperatorAccounts a) {
            var reset = a.issueReset("cli", username, reason);
            return DbOptions.printed("one-time reset token for " + username + ", valid until " + reset.expiresAt() + ":",
                    reset.token());
        }
    }

    @Command(name = "add", description = "Add an operator; password from SERVER_USER_PASSWORD, "
            + "SERVER_USER_PASSWORD_FILE or --password-file (mode 0600)")
    static final class Add implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Parameters(index = "0", description = "user name")
        String username;
        @Option(names = "--role", required = true, description = "auditor, approver or admin")
        String role;
        @Option(names = "--password-file", description = "file holding the password (mode 0600)")
        Path passwordFile;

        @Override
        public Integer call() {
            char[] password = passwordFile != null ? SecretSource.fromFile(passwordFile, "--password-file")
                    : new SecretSource(ServerCommand.environment).read("SERVER_USER_PASSWORD").orElseThrow(() ->
                    new IllegalArgumentException("No password given: set SERVER_USER_PASSWORD or "
                            + "SERVER_USER_PASSWORD_FILE, or pass --password-file (never on the command line)"));
            Role r = Role.parse(role);
            return db.run(d -> {
                UserStore users = new UserStore(d);
                if (!users.create(UserStore.requireValidUsername(username), new PasswordHasher().hash(password), r)) {
                    throw new IllegalArgumentException("User '" + username + "' already exists");
                }
                new AuditLog(d).append("cli", "user.add", username, AuditOutcome.OK, "role " + r);
                return DbOptions.printed("added " + username + " (" + r.name().toLowerCase(java.util.Locale.ROOT) + ")");
            });
        }
    }
}
