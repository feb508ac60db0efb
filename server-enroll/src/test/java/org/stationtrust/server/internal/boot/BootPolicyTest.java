package org.stationtrust.server.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy loads only when every rule is known and well-formed; omitted rules are the strict ones. */
class BootPolicyTest {
    static BootPolicy policy(String json) throws BootPolicyInvalid {
        return BootPolicy.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String refused(String json) {
        return assertThrows(BootPolicyInvalid.class, () -> policy(json)).getMessage();
    }

    @Test
    void aPolicyWithOnlyANameHasTheStrictDefaults() throws Exception {
        BootPolicy p = policy("{\"name\": \"fleet\"}");
        assertEquals("fleet", p.name());
        assertTrue(p.requireSecureBoot());
        assertTrue(p.forbidDebug());
        assertFalse(p.allowMissingExitBootServices());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), List.copyOf(p.replayPcrs()));
        assertEquals(BootPolicy.OnNoEventLog.FAIL, p.onNoEventLog());
        assertTrue(p.pins().isEmpty());
    }

    @Test
    void everyRuleIsRead() throws Exception {
        BootPolicy p = policy("""
                {"name": "lenovo-t14", "requireSecureBoot": false, "forbidDebug": false,
                 "allowedBootAuthorities": ["CN=Microsoft Windows Production PCA 2011,O=Microsoft Corporation,C=US",
                                            "sha256:%s"],
                 "forbiddenAuthorities": ["cn=Old CA"], "requiredDbx": ["SHA256:%s"],
                 "replayPcrs": [0, 2, 4, 7], "allowMissingExitBootServices": true, "onNoEventLog": "baseline",
                 "pins": [{"firmwareVersion": "N32ET88W", "pcrs": {"0": "%s"}}, {"pcrs": {"7": "%s"}}]}
                """.formatted("ab".repeat(32), "CD".repeat(32), "11".repeat(32), "22".repeat(32)));
        assertFalse(p.requireSecureBoot());
        assertEquals(2, p.allowedBootAuthorities().size());
        assertEquals("cd".repeat(32), p.requiredDbx().get(0).sha256());
        assertEquals(List.of(0, 2, 4, 7), List.copyOf(p.replayPcrs()));
        assertEquals(BootPolicy.OnNoEventLog.BASELINE, p.onNoEventLog());
        assertEquals("N32ET88W", p.pins().get(0).firmwareVersion().orElseThrow());
        assertTrue(p.pins().get(1).firmwareVersion().isEmpty());
    }

    @Test
    void anUnknownRuleIsRefusedNeverIgnored() {
        assertTrue(refused("{\"name\": \"x\", \"requireSecureboot\": false}").contains("unknown rule 'requireSecureboot'"));
    }

    @Test
    void badValuesAreRefusedNamingTheRule() {
        assertTrue(refused("{\"name\": \"x\", \"requireSecureBoot\": \"no\"}").startsWith("requireSecureBoot"));
        assertTrue(refused("{\"name\": \"x\", \"replayPcrs\": [24]}").startsWith("replayPcrs"));
        assertTrue(refused("{\"name\": \"x\", \"replayPcrs\": [1, 1]}").startsWith("replayPcrs"));
        assertTrue(refused("{\"name\": \"x\", \"replayPcrs\": []}").startsWith("replayPcrs"));
        assertTrue(refused("{\"name\": \"x\", \"onNoEventLog\": \"accept\"}").startsWith("onNoEventLog"));
        assertTrue(refused("{\"name\": \"x\", \"forbiddenAuthorities\": [\"sha256:12\"]}")
                .startsWith("forbiddenAuthorities"));
        assertTrue(refused("{\"name\": \"x\", \"allowedBootAuthorities\": [\"not a = = subject,,\"]}")
                .startsWith("allowedBootAuthorities"));
        assertTrue(refused("{\"name\": \"x\", \"pins\": [{\"pcrs\": {\"0\": \"00\"}}]}").startsWith("pins.pcrs.0"));
        assertTrue(refused("{\"name\": \"x\", \"pins\": [{\"pcrs\": {\"0\": \"%s\"}, \"model\": \"y\"}]}"
                .formatted("00".repeat(32))).contains("unknown field 'model'"));
    }

    @Test
    void aPolicyNeedsAValidNameAndWellFormedJson() {
        assertTrue(refused("{}").startsWith("name"));
        assertTrue(refused("{\"name\": \"../etc\"}").startsWith("name"));
        assertTrue(refused("{\"name\": \"x\"").contains("not well-formed"));
        assertTrue(refused("{\"name\": \"x\", \"name\": \"y\"}").contains("not well-formed"));
        assertTrue(refused("[]").contains("JSON object"));
    }
}
