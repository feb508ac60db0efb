package org.stationtrust.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.stationtrust.protocol.ErrorCode;

class ClientAddressTest {
    @Test
    void anIpv4AddressIsItsOwnClient() {
        assertEquals("ip:192.0.2.10", ClientAddress.limitKey("192.0.2.10"));
        assertNotEquals(ClientAddress.limitKey("192.0.2.10"), ClientAddress.limitKey("192.0.2.11"));
    }

    @Test
    void everyAddressOfAnIpv6Slash64IsOneClientHoweverItIsWritten() {
        String key = ClientAddress.limitKey("2001:db8:1:2::1");
        assertEquals("ip6:2001:db8:1:2::/64", key);
        assertEquals(key, ClientAddress.limitKey("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertEquals(key, ClientAddress.limitKey("[2001:0DB8:0001:0002:0:0:0:9]"));
        assertEquals(key, ClientAddress.limitKey("2001:db8:1:2::1%eth0"));
        assertNotEquals(key, ClientAddress.limitKey("2001:db8:1:3::1"), "the next /64 is another client");
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4Client() {
        assertEquals("ip:192.0.2.10", ClientAddress.limitKey("::ffff:192.0.2.10"));
    }

    @Test
    void somethingThatIsNoAddressIsKeptWholeAndLooksNothingUp() {
        assertEquals("ip:not:an:address.example", ClientAddress.limitKey("not:an:address.example"));
        assertEquals("ip:null", ClientAddress.limitKey(null));
    }

    @Test
    void failedChecksFromTwoAddressesOfOneSlash64ShareOneBudget() {
        FailedChecks checks = new FailedChecks(2, () -> { });
        for (String from : new String[] {"2001:db8:1:2::a", "2001:db8:1:2::b"}) {
            assertThrows(ApiException.class, () -> checks.guard(from, () -> {
                throw new ApiException(ErrorCode.SIGNATURE_INVALID, "bad signature");
            }));
        }
        ApiException limited = assertThrows(ApiException.class, () -> checks.guard("2001:db8:1:2::c", () -> "checked"));
        assertEquals(ErrorCode.RATE_LIMITED, limited.code());
        assertEquals("checked", checks.guard("2001:db8:1:3::c", () -> "checked"), "another /64 has its own");
    }
}
