package org.stationtrust.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The station audit batch, written by the agent and read by the server: the same records, the same rules. */
class StationAuditBatchTest {
    private static StationAuditEvent event(String id) {
        ObjectNode fields = WireJson.strict().createObjectNode().put("registrationId", "R-1").put("n", 3);
        return new StationAuditEvent(id, "2026-12-01T10:00:00.123Z", "capture.finished", fields);
    }

    private static StationAuditBatch read(String json) throws Exception {
        return WireJson.strict().readValue(json, StationAuditBatch.class);
    }

    @Test
    void aBatchWrittenReadsBackEqualUnderTheStrictReader() throws Exception {
        StationAuditBatch batch = new StationAuditBatch(List.of(event("1-0123456789abcdef"), event("2-fedcba9876543210")));
        StationAuditBatch back = read(WireJson.strict().writeValueAsString(batch));
        assertEquals(batch, back);
        assertEquals("R-1", back.events().get(0).fields().path("registrationId").asText());
    }

    @Test
    void absentFieldsReadAsAnEmptyObjectAndTheRecordCannotBeChangedThroughItsTree() throws Exception {
        StationAuditBatch b = read("{\"events\":[{\"eventId\":\"1-a\",\"time\":\"2026-12-01T10:00:00Z\",\"event\":\"x\"}]}");
        assertEquals(0, b.events().get(0).fields().size());
        StationAuditEvent e = event("3-c");
        e.fields().put("registrationId", "changed");
        assertEquals("R-1", e.fields().path("registrationId").asText());
        assertNotSame(e.fields(), e.fields());
    }

    @Test
    void refusesEachBrokenRuleWithTheFieldItBreaks() {
        ObjectNode ok = WireJson.strict().createObjectNode();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StationAuditEvent("bad id", "2026-12-01T10:00:00Z",
                "x", ok)).getMessage().contains("eventId"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StationAuditEvent("1", "yesterday", "x", ok))
                .getMessage().contains("ISO-8601"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StationAuditEvent("1", "2026-12-01T10:00:00Z",
                "x'; DROP TABLE machines;--", ok)).getMessage().contains("event"));
        ObjectNode big = WireJson.strict().createObjectNode().put("text", "a".repeat(StationAuditEvent.MAX_FIELDS_CHARS));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StationAuditEvent("1", "2026-12-01T10:00:00Z",
                "x", big)).getMessage().contains("longer than " + StationAuditEvent.MAX_FIELDS_CHARS));
        assertTrue(StationAuditEvent.fitsAsFields(ok) && !StationAuditEvent.fitsAsFields(big));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StationAuditBatch(List.of())).getMessage()
                .contains("1.." + StationAuditBatch.MAX_EVENTS));
        List<StationAuditEvent> many = new ArrayList<>();
        for (int i = 0; i <= StationAuditBatch.MAX_EVENTS; i++) many.add(event(i + "-x"));
        assertThrows(IllegalArgumentException.class, () -> new StationAuditBatch(many));
    }

    @Test
    void theStrictReaderRefusesFieldsThatAreNoObjectUnknownKeysAndDuplicates() {
        String e = "{\"eventId\":\"1-a\",\"time\":\"2026-12-01T10:00:00Z\",\"event\":\"x\",\"fields\":";
        assertThrows(JsonMappingException.class, () -> read("{\"events\":[" + e + "[1,2]}]}"));
        assertThrows(JsonMappingException.class, () -> read("{\"events\":[" + e + "{}, \"extra\":1}]}"));
        assertThrows(Exception.class, () -> read("{\"events\":[" + e + "{}, \"event\":\"y\"}]}"));
        assertThrows(JsonMappingException.class, () -> read("{\"events\":[{\"time\":\"2026-12-01T10:00:00Z\","
                + "\"event\":\"x\"}]}"));
    }

    @Test
    void theReceiptReadsBackAndRefusesNegativeCounts() throws Exception {
        StationAuditReceipt r = new StationAuditReceipt(3, 1);
        assertEquals(r, WireJson.answers().readValue(WireJson.strict().writeValueAsString(r), StationAuditReceipt.class));
        assertThrows(IllegalArgumentException.class, () -> new StationAuditReceipt(-1, 0));
    }
}
