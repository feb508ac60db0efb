package org.stationtrust.server;

import java.util.concurrent.Callable;
import org.stationtrust.server.internal.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "migrate", description = "Create or upgrade the database schema")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DbOptions db;

    @Override
    public Integer call() {
        return db.run(d -> {
            var migrations = new Migrations(d);
            var applied = migrations.apply();
            return DbOptions.printed("schema at version " + migrations.currentVersion() + " (applied now: " + applied + ")");
        });
    }
}
