package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.internal.device.ExchangeTimes;
import org.stationtrust.ctk.testing.Iso;
import org.stationtrust.ctk.testing.TestDevice;
import org.stationtrust.sbi.client.HashChain;

class HashChainCheckTest {
    static TestDevice device;

    @BeforeAll
    static void createDevice() {
        device = TestDevice.create();
    }

    @Test
    void acceptsAChainRecomputedElementByElement() {
        Finding f = new HashChainCheck().judge(device.goodLeftSlap(), device.rules());
        assertEquals(Finding.Status.PASS, f.status(), f.message());
    }

    @Test
    void rejectsAnElementWhoseHashIgnoresThePreviousOne() {
        Observation o = device.goodLeftSlap();
        Observation.CaptureElement second = o.elements.get(1);
        String unchained = HashChain.start().next(second.bioValue()).hex();
        device.replace(o, 1, (ObjectNode) second.payload(), unchained);
        Finding f = new HashChainCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("broken hash chain"), f.message());
    }

    @Test
    void reportsAHashOf64NonHexCharactersAsABrokenChainInsteadOfCrashing() {
        Observation o = device.goodLeftSlap();
        device.replace(o, 1, (ObjectNode) o.elements.get(1).payload(), "Z".repeat(64));
        Finding f = new HashChainCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("not 64 hex digits") && f.message().contains("broken hash chain"), f.message());
    }

    @Test
    void requiresTheChainToContinueAcrossRequests() {
        Observation o = device.goodLeftSlap();
        String last = o.elements.get(3).hash();
        byte[] record = Iso.fingerRecord(200);
        Instant now = Instant.now();
        var req = TestDevice.request("CTK-test-0002", last, List.of("Left IndexFinger"), "1");
        Exchange e = new Exchange("RCAPTURE", "/capture", new byte[0], 200, null, null, false, 1, null,
                new ExchangeTimes(now, now, now));
        o.sent.add(new Observation.SentCapture(1, req, "CTK-test-0002", last, e));
        // The device restarts the chain instead of continuing from the previousHash it was sent.
        String restarted = HashChain.start().next(record).hex();
        TestDevice.add(o, device.element(1, 0, device.payload("CTK-test-0002", "Left IndexFinger", record,
                now.minus(Duration.ofMillis(5))), restarted, record));
        assertTrue(new HashChainCheck().judge(o, device.rules()).failed());

        String continued = HashChain.continueFrom(last).next(record).hex();
        o.elements.remove(4);
        TestDevice.add(o, device.element(1, 0, device.payload("CTK-test-0002", "Left IndexFinger", record, now),
                continued, record));
        assertEquals(Finding.Status.PASS, new HashChainCheck().judge(o, device.rules()).status());
    }
}
