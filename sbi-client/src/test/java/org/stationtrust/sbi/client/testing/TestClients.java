package org.stationtrust.sbi.client.testing;

import java.time.Duration;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;

/** Client configurations used by the tests: short deadlines so failures show fast. */
public final class TestClients {
    private TestClients() {
    }

    public static SbiClientConfig.Builder config(TestPki pki, int port) {
        return config(DeviceTrustStore.of(pki.caList()), port);
    }

    public static SbiClientConfig.Builder config(DeviceTrustStore trust, int port) {
        return SbiClientConfig.builder(trust)
                .ports(port, port)
                .discoveryDeadline(Duration.ofMillis(1500))
                .captureMargin(Duration.ofSeconds(1));
    }

    public static SbiClient client(TestPki pki, int port) {
        return new SbiClient(config(pki, port).build());
    }
}
