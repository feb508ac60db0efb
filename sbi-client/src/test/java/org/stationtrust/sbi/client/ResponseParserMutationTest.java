package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation test next to the Jazzer one: starts from valid signed answers (so mutations reach
 * the deep checks) and flips, inserts, deletes and duplicates bytes. Only typed rejections may escape.
 */
class ResponseParserMutationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKENS = "{}[]\",:.\\0-9e";

    private static byte[] validCapture() {
        ObjectNode p = JSON.createObjectNode();
        p.put("digitalId", TestPkiSign.digitalId());
        p.put("deviceCode", "FIX-0001");
        p.put("bioType", "Finger");
        p.put("bioSubType", "Left IndexFinger");
        p.put("purpose", "Registration");
        p.put("env", "Staging");
        p.put("bioValue", "RklSAA");
        p.put("transactionId", "tx-fuzz-1");
        p.put("timestamp", Instant.now().toString());
        p.put("qualityScore", "80");
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode b = answer.putArray("biometrics");
        ObjectNode e = b.addObject();
        e.put("specVersion", "0.9.5");
        e.put("data", TestPkiSign.sign(p.toString()));
        e.put("hash", HashChain.start().next(new byte[] {'F', 'I', 'R', 0}).hex());
        e.putObject("error").put("errorCode", "0");
        return answer.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mutatedAnswersOnlyEverYieldTypedRejections() {
        byte[][] seeds = {
            validCapture(),
            TestPkiSign.sign("{\"deviceId\":\"1\"}").getBytes(StandardCharsets.UTF_8),
            "[{\"deviceId\":\"1\",\"digitalId\":\"e30\",\"deviceSubId\":[\"1\"],\"specVersion\":[\"0.9.5\"]}]"
                    .getBytes(StandardCharsets.UTF_8),
            ("[{\"deviceInfo\":\"" + TestPkiSign.sign("{\"deviceId\":\"1\"}") + "\",\"error\":{\"errorCode\":\"0\"}}]")
                    .getBytes(StandardCharsets.UTF_8),
            "--x\r\nContent-Length: 4\r\n\r\n\u00ff\u00d8ab\r\n".getBytes(StandardCharsets.ISO_8859_1),
        };
        Random random = new Random(20260101L);
        int runs = 0;
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            int which = random.nextInt(seeds.length);
            byte[] input = mutate(seeds[which], random);
            ResponseParserFuzzTest.parseOnce(which, input);
            runs++;
        }
        assertTrue(runs > 100, "only " + runs + " mutations ran");
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] out = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && out.length > 0; i++) {
            int pos = r.nextInt(out.length);
            switch (r.nextInt(4)) {
                case 0 -> out[pos] = (byte) r.nextInt(256);
                case 1 -> out = splice(out, pos, new byte[] {(byte) TOKENS.charAt(r.nextInt(TOKENS.length()))});
                case 2 -> out = java.util.Arrays.copyOf(out, pos);
                default -> out = splice(out, pos, java.util.Arrays.copyOfRange(out, pos, Math.min(out.length, pos + 64)));
            }
        }
        return out;
    }

    private static byte[] splice(byte[] a, int pos, byte[] insert) {
        byte[] out = new byte[a.length + insert.length];
        System.arraycopy(a, 0, out, 0, pos);
        System.arraycopy(insert, 0, out, pos, insert.length);
        System.arraycopy(a, pos, out, pos + insert.length, a.length - pos);
        return out;
    }

    /** Signs with the fuzz test's PKI so that mutations start from answers the verifier accepts. */
    static final class TestPkiSign {
        static String sign(String payload) {
            return org.stationtrust.sbi.client.testing.TestPki.signRs256(payload,
                    ResponseParserFuzzTest.PKI.deviceKeys.getPrivate(), ResponseParserFuzzTest.PKI.device);
        }

        static String digitalId() {
            return sign("{\"serialNo\":\"FIX-0001\",\"make\":\"Fixture\",\"model\":\"FX-SLAP\",\"type\":\"Finger\","
                    + "\"deviceSubType\":\"Slap\",\"deviceProvider\":\"Fixture Provider\","
                    + "\"deviceProviderId\":\"fixture.provider\",\"dateTime\":\"" + java.time.Instant.now() + "\"}");
        }
    }
}
