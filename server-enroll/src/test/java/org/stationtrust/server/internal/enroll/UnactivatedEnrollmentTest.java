package org.stationtrust.server.internal.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestDatabases;
import org.stationtrust.server.testing.TestServer;

class UnactivatedEnrollmentTest {
    @TempDir
    Path dir;

    @Test
    void enrollmentsNeverActivatedAreRejectedAfterTheirLifetimeAndOthersAreLeftAlone() {
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            String stale = TestServer.seedMachine(db, new SoftwareStation(), EnrollmentState.PENDING_ACTIVATION, false);
            String pending = TestServer.seedMachine(db, new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
            MachineStore machines = new MachineStore(db);
            EnrollmentService service = new EnrollmentService(db, machines, new EnrollmentTokenStore(db), new AuditLog(db),
                    Optional.empty(), false, (c, event) -> {
                        throw new AssertionError("expiring an unactivated enrollment is not a webhook event: " + event);
                    });
            assertEquals(0, service.expireUnactivated(System.currentTimeMillis() - 60_000), "not old enough yet");
            assertEquals(1, service.expireUnactivated(System.currentTimeMillis() + 1));
            assertEquals(EnrollmentState.REJECTED, machines.find(stale).orElseThrow().state());
            assertEquals(EnrollmentState.PENDING_APPROVAL, machines.find(pending).orElseThrow().state());
            assertEquals("enrollment.expire", new AuditLog(db).recent(1).get(0).action());
        }
    }
}
