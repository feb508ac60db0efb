package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.TestPostgres;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/** The multi-instance suite on a real PostgreSQL started from the Debian packages. */
class PostgresMultiInstanceTest extends MultiInstanceSuite {
    @TempDir
    static Path dir;
    static TestPostgres postgres;
    static SoftwareTpm softwareTpm;
    static TpmConnection connection;
    static TestServer a;
    static TestServer b;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL not installed: apt-get install -y postgresql");
        postgres = TestPostgres.start();
        url = postgres.createDatabase("enroll");
        softwareTpm = SoftwareTpm.start(dir.resolve("tpm"));
        connection = TpmConnection.open(softwareTpm.uri());
        a = TestServer.start(url, "postgres", null, c -> c.rateLimits(1000, 1000, 1000).ekTrustStore(softwareTpm.caDirectory()));
        b = TestServer.second(url, "postgres", null, a.tokens, c -> c.rateLimits(1000, 1000, 1000).ekTrustStore(softwareTpm.caDirectory()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (connection != null) connection.close();
        if (softwareTpm != null) softwareTpm.close();
        if (postgres != null) postgres.close();
    }

    @Override
    TestServer first() {
        return a;
    }

    @Override
    TestServer second() {
        return b;
    }

    @Override
    TestServer anotherInstance() {
        return TestServer.second(url, "postgres", null, a.tokens, c -> c.rateLimits(1000, 1000, 1000));
    }

    @Override
    TpmConnection tpm() {
        return connection;
    }
}
