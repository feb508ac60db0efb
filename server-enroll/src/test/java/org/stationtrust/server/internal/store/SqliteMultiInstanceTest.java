package org.stationtrust.server.internal.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/** The multi-instance suite on one SQLite file shared by two instances. */
class SqliteMultiInstanceTest extends MultiInstanceSuite {
    @TempDir
    static Path dir;
    static SoftwareTpm softwareTpm;
    static TpmConnection connection;
    static TestServer a;
    static TestServer b;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.sqliteUrl(dir.resolve("db"));
        softwareTpm = SoftwareTpm.start(dir.resolve("tpm"));
        connection = TpmConnection.open(softwareTpm.uri());
        a = TestServer.start(url, null, null, c -> c.rateLimits(1000, 1000, 1000).ekTrustStore(softwareTpm.caDirectory()));
        b = TestServer.second(url, null, null, a.tokens, c -> c.rateLimits(1000, 1000, 1000).ekTrustStore(softwareTpm.caDirectory()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (connection != null) connection.close();
        if (softwareTpm != null) softwareTpm.close();
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
        return TestServer.second(url, null, null, a.tokens, c -> c.rateLimits(1000, 1000, 1000));
    }

    @Override
    TpmConnection tpm() {
        return connection;
    }
}
