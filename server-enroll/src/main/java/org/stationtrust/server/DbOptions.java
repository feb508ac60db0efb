package org.stationtrust.server;

import org.stationtrust.server.internal.auth.SecretSource;
import org.stationtrust.server.internal.store.Database;
import picocli.CommandLine.Option;

/**
 * Database options shared by every command. Password from SERVER_DB_PASSWORD or SERVER_DB_PASSWORD_FILE. The one
 * place a command opens the database and closes it again ({@link #run}) and prints its result ({@link #printed}).
 */
final class DbOptions {
    @Option(names = "--db", defaultValue = "jdbc:sqlite:server-enroll.db",
            description = "JDBC URL: jdbc:sqlite:<file> (default) or jdbc:postgresql://host:port/db")
    String url;
    @Option(names = "--db-user", description = "PostgreSQL user")
    String user;

    Database open() {
        return Database.open(url, user, password());
    }

    String password() {
        return new SecretSource(ServerCommand.environment).read("SERVER_DB_PASSWORD").map(String::new).orElse(null);
    }

    /** What a command does with the open database; its answer is the command's exit code. */
    interface Work {
        int on(Database d);
    }

    /** Opens the database, does the work on it and closes it again; the work's answer is the exit code. */
    int run(Work work) {
        try (Database d = open()) {
            return work.on(d);
        }
    }

    /** Prints the lines a command succeeded with on standard output; exit code 0. */
    static int printed(String... lines) {
        for (String line : lines) System.out.println(line);
        return 0;
    }
}
