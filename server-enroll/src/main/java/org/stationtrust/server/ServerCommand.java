package org.stationtrust.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.PasswordHasher;
import org.stationtrust.server.internal.auth.SecretSource;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.boot.EventLogCommand;
import org.stationtrust.server.internal.store.AttestationHistory;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.SchemaNewerThanServer;
import org.stationtrust.server.internal.store.UnsupportedDatabaseUrl;
import org.stationtrust.server.internal.store.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The command line: serve, migrate, user add, token issue, audit verify, eventlog (server-enroll/README.md).
 * Option defaults may come from the file named by SERVER_ENROLL_CONFIG ({@link ConfigFile}).
 */
@Command(name = "server-enroll", mixinStandardHelpOptions = true, version = "server-enroll 0.1.0",
        description = "station-trust enrollment server",
        subcommands = {ServerCommand.Serve.class, ServerCommand.Migrate.class, ServerCommand.User.class,
                ServerCommand.Token.class, ServerCommand.Audit.class, ServerCommand.History.class, EventLogCommand.class})
public final class ServerCommand {
    static Map<String, String> environment = System.getenv();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * sysexits.h EX_CONFIG: the configuration is unusable in a way that trying again cannot change (an invalid
     * configuration file, a database URL of no supported kind, a database a later release migrated); the package's
     * unit does not restart on it. Every other failure (e.g. a database that does not answer) exits 2, and is retried.
     */
    static final int EXIT_CONFIG = 78;

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ServerCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return retryCannotHelp(e) ? EXIT_CONFIG : 2;
        });
        String configFile = environment.get(ConfigFile.ENVIRONMENT_VARIABLE);
        if (configFile != null && !configFile.isBlank()) {
            try {
                cli.setDefaultValueProvider(ConfigFile.read(Path.of(configFile),
                        ConfigFile.optionNames(cli.getSubcommands().get("serve").getCommandSpec())));
            } catch (IllegalArgumentException e) {
                cli.getErr().println("error: " + e.getMessage());
                return EXIT_CONFIG;
            }
        }
        return cli.execute(args);
    }

    private static boolean retryCannotHelp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedDatabaseUrl || t instanceof SchemaNewerThanServer) return true;
        }
        return false;
    }

    /** Database options shared by every command. Password from SERVER_DB_PASSWORD or SERVER_DB_PASSWORD_FILE. */
    static final class DbOptions {
        @Option(names = "--db", defaultValue = "jdbc:sqlite:server-enroll.db",
                description = "JDBC URL: jdbc:sqlite:<file> (default) or jdbc:postgresql://host:port/db")
        String url;
        @Option(names = "--db-user", description = "PostgreSQL user")
        String user;

        Database open() {
            return Database.open(url, user, password());
        }

        String password() {
            return new SecretSource(environment).read("SERVER_DB_PASSWORD").map(String::new).orElse(null);
        }
    }

    @Command(name = "migrate", description = "Create or upgrade the database schema")
    static final class Migrate implements Callable<Integer> {
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            try (Database d = db.open()) {
                var migrations = new org.stationtrust.server.internal.store.Migrations(d);
                var applied = migrations.apply();
                System.out.println("schema at version " + migrations.currentVersion() + " (applied now: " + applied + ")");
                return 0;
            }
        }
    }

    @Command(name = "serve", description = "Run the server")
    static final class Serve implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Option(names = "--bind", defaultValue = "127.0.0.1")
        String bind;
        @Option(names = "--port", defaultValue = "8443")
        int port;
        @Option(names = "--keystore", description = "PKCS#12 keystore with the TLS key; password from "
                + "SERVER_KEYSTORE_PASSWORD or SERVER_KEYSTORE_PASSWORD_FILE")
        Path keystore;
        @Option(names = "--dev", description = "Development: generate a self-signed certificate, print its SHA-256")
        boolean dev;
        @Option(names = "--insecure-plaintext-http", description = "Plain HTTP (only behind a local TLS proxy)")
        boolean plaintext;
        @Option(names = "--ek-trust-store", description = "Directory of TPM manufacturer CA certificates (PEM)")
        Path ekTrustStore;
        @Option(names = "--attestation-interval", defaultValue = "PT24H", description = "ISO-8601 duration")
        Duration interval;
        @Option(names = "--require-enrollment-token")
        boolean requireToken;
        @Option(names = "--migrate", description = "Apply pending migrations before starting")
        boolean migrate;
        @Option(names = "--behind-tls-proxy", description = "With --insecure-plaintext-http: a local TLS proxy serves "
                + "HTTPS to every client, so session cookies are Secure and HSTS is sent")
        boolean behindTlsProxy;
        @Option(names = "--connections-per-client", defaultValue = "64",
                description = "open connections one client address may hold (raise it behind a reverse proxy)")
        int connectionsPerClient;
        @Option(names = "--requests-per-client", defaultValue = "32",
                description = "requests of one client address in progress at once (raise it behind a reverse proxy)")
        int requestsPerClient;
        @Option(names = "--body-memory", defaultValue = "67108864",
                description = "bytes of request bodies all requests together may hold in memory")
        long bodyMemory;
        @Option(names = "--failed-checks-per-client", defaultValue = "30", description = "station signature or quote "
                + "checks one client address may fail a minute (raise it behind a reverse proxy)")
        int failedChecksPerMinute;
        @Option(names = "--max-connections", defaultValue = "2048", description = "open connections of all clients "
                + "together; beyond it new ones wait until one closes")
        int maxConnections;
        @Option(names = "--head-timeout", defaultValue = "PT10S", description = "the longest a request's line and "
                + "headers may take to arrive (ISO-8601, 1-60 s); a late connection is closed")
        java.time.Duration headTimeout;
        @Option(names = "--anonymous-body-percent", defaultValue = "25", description = "share of --body-memory the "
                + "bodies of unauthenticated callers may hold together (1-100)")
        int anonymousBodyPercent;
        @Option(names = "--password-hashes", defaultValue = "0", description = "password hashes (Argon2id, 19 MiB "
                + "each) running at once; more sign-ins get 503 server_busy; 0: from processors and heap")
        int passwordHashes;
        @Option(names = "--overdue-sweep-every", defaultValue = "PT1M", description = "How often machines past the "
                + "attestation interval are marked OVERDUE (ISO-8601)")
        java.time.Duration overdueSweepEvery;
        @Option(names = "--attestation-history-retention", description = "ISO-8601 age, at least P7D (e.g. P400D): "
                + "the server removes attestation history older than this every 6 hours; unset: it keeps all of it")
        java.time.Duration historyRetention;
        @Option(names = "--webhook-allow-private-targets", description = "Allow webhook URLs on loopback and private "
                + "addresses (SSRF risk: see README, Webhooks)")
        boolean webhookPrivateTargets;
        @Option(names = "--webhook-timeout", defaultValue = "PT10S", description = "Time one webhook delivery attempt "
                + "may take (connect and answer); a delivery lease lasts three times this plus 5 s")
        java.time.Duration webhookTimeout;

        @Override
        public Integer call() throws InterruptedException {
            if (behindTlsProxy && !plaintext) {
                throw new IllegalArgumentException("--behind-tls-proxy goes with --insecure-plaintext-http");
            }
            ServerConfig.TlsMode mode = dev ? ServerConfig.TlsMode.DEV_SELF_SIGNED
                    : plaintext ? (behindTlsProxy ? ServerConfig.TlsMode.PLAINTEXT_BEHIND_TLS_PROXY
                    : ServerConfig.TlsMode.PLAINTEXT) : ServerConfig.TlsMode.KEYSTORE;
            if (dev && plaintext) throw new IllegalArgumentException("--dev and --insecure-plaintext-http exclude each other");
            ServerConfig.Builder b = ServerConfig.builder(db.url).database(db.user, db.password()).bind(bind, port)
                    .tls(mode).ekTrustStore(ekTrustStore).attestationInterval(interval).requireEnrollmentToken(requireToken);
            b.clientLimits(ClientLimits.builder().connectionsPerClient(connectionsPerClient)
                    .requestsPerClient(requestsPerClient).bodyMemoryBytes(bodyMemory).passwordHashes(passwordHashes)
                    .anonymousBodyPercent(anonymousBodyPercent).maxConnections(maxConnections).headTimeout(headTimeout)
                    .failedChecksPerMinute(failedChecksPerMinute).build());
            if (mode == ServerConfig.TlsMode.KEYSTORE) {
                if (keystore == null) {
                    throw new IllegalArgumentException("TLS needs --keystore <file.p12> (or --dev for a self-signed "
                            + "development certificate)");
                }
                b.keystore(keystore, new SecretSource(environment).read("SERVER_KEYSTORE_PASSWORD").orElseThrow(() ->
                        new IllegalArgumentException("Set SERVER_KEYSTORE_PASSWORD or SERVER_KEYSTORE_PASSWORD_FILE")));
            }
            new SecretSource(environment).read("SERVER_NONCE_KEY").ifPresent(b::nonceKey);
            new SecretSource(environment).read("SERVER_METRICS_TOKEN").ifPresent(b::metricsToken);
            b.overdueSweepEvery(overdueSweepEvery).historyRetention(historyRetention)
                    .webhooks(new ServerConfig.WebhookPolicy(webhookPrivateTargets,
                            ServerConfig.WebhookPolicy.DEFAULT.firstRetry(), ServerConfig.WebhookPolicy.DEFAULT.maxRetry(),
                            ServerConfig.WebhookPolicy.DEFAULT.maxAttempts(), webhookTimeout));
            ServerConfig config = b.build();
            if (migrate) EnrollmentServer.migrate(config);
            EnrollmentServer server = EnrollmentServer.start(config);
            server.tlsPublicKeyPin().ifPresent(p -> System.out.println("TLS public key pin (server.public_key_pins): " + p));
            server.tlsFingerprint().ifPresent(f -> System.out.println("TLS certificate SHA-256 fingerprint: " + f));
            System.out.println("listening on " + server.baseUrl());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stop.countDown();
            }));
            stop.await();
            return 0;
        }
    }

    @Command(name = "user", description = "Manage operators", subcommands = {User.Add.class, User.Disable.class,
            User.Enable.class, User.Remove.class, User.ResetPassword.class})
    static final class User {
        /** disable, enable, remove: the same shape; audited with actor "cli". */
        abstract static class Change implements Callable<Integer> {
            @Mixin
            DbOptions db;
            @Parameters(index = "0", description = "user name")
            String username;
            @Option(names = "--reason", required = true, description = "why (3-500 characters, audited)")
            String reason;

            abstract void apply(org.stationtrust.server.internal.auth.OperatorAccounts accounts);

            @Override
            public Integer call() {
                try (Database d = db.open()) {
                    apply(accounts(d));
                    System.out.println(getClass().getAnnotation(Command.class).name() + "d " + username);
                    return 0;
                } catch (org.stationtrust.server.internal.http.ApiException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        }

        static org.stationtrust.server.internal.auth.OperatorAccounts accounts(Database d) {
            return new org.stationtrust.server.internal.auth.OperatorAccounts(d, new UserStore(d), new CredentialStore(d),
                    new PasswordHasher(), new AuditLog(d));
        }

        @Command(name = "disable", description = "Disable an operator: sessions end, API tokens are revoked")
        static final class Disable extends Change {
            @Override
            void apply(org.stationtrust.server.internal.auth.OperatorAccounts a) {
                a.disable("cli", null, username, reason);
            }
        }

        @Command(name = "enable", description = "Enable a disabled operator")
        static final class Enable extends Change {
            @Override
            void apply(org.stationtrust.server.internal.auth.OperatorAccounts a) {
                a.enable("cli", username, reason);
            }
        }

        @Command(name = "remove", description = "Remove an operator with their sessions and tokens")
        static final class Remove extends Change {
            @Override
            void apply(org.stationtrust.server.internal.auth.OperatorAccounts a) {
                a.remove("cli", null, username, reason);
            }
        }

        @Command(name = "reset-password", description = "Print a one-time password reset token (1 h), to be used at "
                + "/reset-password or POST /api/v1/password-resets")
        static final class ResetPassword implements Callable<Integer> {
            @Mixin
            DbOptions db;
            @Parameters(index = "0", description = "user name")
            String username;
            @Option(names = "--reason", required = true, description = "why (3-500 characters, audited)")
            String reason;

            @Override
            public Integer call() {
                try (Database d = db.open()) {
                    var reset = accounts(d).issueReset("cli", username, reason);
                    System.out.println("one-time reset token for " + username + ", valid until " + reset.expiresAt() + ":");
                    System.out.println(reset.token());
                    return 0;
                } catch (org.stationtrust.server.internal.http.ApiException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
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
                        : new SecretSource(environment).read("SERVER_USER_PASSWORD").orElseThrow(() ->
                        new IllegalArgumentException("No password given: set SERVER_USER_PASSWORD or "
                                + "SERVER_USER_PASSWORD_FILE, or pass --password-file (never on the command line)"));
                Role r = Role.parse(role);
                try (Database d = db.open()) {
                    UserStore users = new UserStore(d);
                    if (!users.create(UserStore.requireValidUsername(username), new PasswordHasher().hash(password), r)) {
                        throw new IllegalArgumentException("User '" + username + "' already exists");
                    }
                    new AuditLog(d).append("cli", "user.add", username, AuditOutcome.OK, "role " + r);
                    System.out.println("added " + username + " (" + r.name().toLowerCase(java.util.Locale.ROOT) + ")");
                    return 0;
                }
            }
        }
    }

    @Command(name = "token", description = "Issue tokens", subcommands = Token.Issue.class)
    static final class Token {
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
                try (Database d = db.open()) {
                    if (enrollment) {
                        String token = Secrets.newToken("ste_");
                        String id = Secrets.newId();
                        new EnrollmentTokenStore(d).create(id, Secrets.digest(token), "cli", label,
                                System.currentTimeMillis() + ttl.toMillis());
                        new AuditLog(d).append("cli", "enrollment_token.issue", id, AuditOutcome.OK,
                                "note '" + label + "'");
                        System.out.println(token);
                    } else {
                        Authenticator auth = new Authenticator(new UserStore(d), new CredentialStore(d),
                                new PasswordHasher(), Duration.ofMinutes(1));
                        String token = auth.issueApiToken(user, label, ttl);
                        new AuditLog(d).append("cli", "api_token.issue", user, AuditOutcome.OK,
                                "label '" + label + "'");
                        System.out.println(token);
                    }
                    return 0;
                }
            }
        }
    }

    @Command(name = "audit", description = "Audit log", subcommands = Audit.Verify.class)
    static final class Audit {
        @Command(name = "verify", description = "Check the audit hash chain; exit 1 when broken")
        static final class Verify implements Callable<Integer> {
            @Mixin
            DbOptions db;

            @Override
            public Integer call() {
                try (Database d = db.open()) {
                    AuditChainReport r = new AuditLog(d).verify();
                    if (r.intact()) {
                        System.out.println("audit chain intact: " + r.rows() + " events");
                        return 0;
                    }
                    System.out.println("audit chain BROKEN (" + r.rows() + " events):");
                    r.problems().forEach(p -> System.out.println("  " + p));
                    return 1;
                }
            }
        }
    }

    @Command(name = "history", description = "Attestation history", subcommands = History.Prune.class)
    static final class History {
        @Command(name = "prune", description = "Remove attestation history recorded before now minus --older-than")
        static final class Prune implements Callable<Integer> {
            @Mixin
            DbOptions db;
            @Option(names = "--older-than", required = true, description = "ISO-8601 age, at least P7D (e.g. P400D)")
            Duration age;

            @Override
            public Integer call() {
                try (Database d = db.open()) {
                    AttestationHistory.Pruned p = new AttestationHistory(d).pruneOlderThan(age, java.time.Instant.now());
                    new AuditLog(d).append("cli", "attestation_history.prune", "-", AuditOutcome.OK,
                            "removed " + p.describe());
                    System.out.println("removed " + p.describe());
                    return 0;
                }
            }
        }
    }
}
