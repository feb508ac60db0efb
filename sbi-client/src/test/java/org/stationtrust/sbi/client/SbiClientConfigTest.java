package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.TestPki;

class SbiClientConfigTest {
    private static final DeviceTrustStore TRUST = DeviceTrustStore.of(new TestPki("Config CA").caList());

    @Test
    void defaultsAreTheSecureChoice() {
        SbiClientConfig c = SbiClientConfig.builder(TRUST).build();
        assertEquals(4501, c.firstPort());
        assertEquals(4600, c.lastPort());
        assertEquals(Set.of("RS256"), c.allowedAlgorithms());
        assertEquals(Duration.ofMinutes(5), c.allowedSkew());
        assertEquals(16L * 1024 * 1024, c.maxAnswerBytes());
    }

    @Test
    void refusesConfigurationsThatWouldWeakenVerification() {
        assertThrows(NullPointerException.class, () -> SbiClientConfig.builder(null).build());
        assertThrows(IllegalArgumentException.class, () -> SbiClientConfig.builder(TRUST).allowedAlgorithms(Set.of("none")).build());
        assertThrows(IllegalArgumentException.class, () -> SbiClientConfig.builder(TRUST).allowedAlgorithms(Set.of("HS256")).build());
        assertThrows(IllegalArgumentException.class, () -> SbiClientConfig.builder(TRUST).allowedAlgorithms(Set.of()).build());
        assertThrows(IllegalArgumentException.class, () -> SbiClientConfig.builder(TRUST).allowedSkew(Duration.ofHours(2)).build());
        assertThrows(IllegalArgumentException.class, () -> SbiClientConfig.builder(TRUST).ports(4600, 4501).build());
        assertThrows(IllegalArgumentException.class, () -> SbiClientConfig.builder(TRUST).maxAnswerBytes(10).build());
        assertThrows(IllegalArgumentException.class, () -> SbiClientConfig.builder(TRUST).discoveryDeadline(Duration.ZERO).build());
    }
}
