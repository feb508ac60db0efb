package org.stationtrust.agent.internal.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.InvalidConfiguration;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.StationFixture;

/**
 * Bounded mutation of the agent's two edges (seeded, so a failure can be replayed with its seed): thousands
 * of mutated agent.yaml files only ever load or give InvalidConfiguration, and mutated local-API bodies only
 * ever get a JSON refusal (4xx), never a 500 or a hang. Byte flips, insertions of YAML/JSON syntax,
 * truncation, duplication and huge values around valid seeds.
 */
class MutatedInputTest {
    private static final long SEED = Long.getLong("mutation.seed", 20261125L);
    private static final int CONFIGS = Integer.getInteger("mutation.configs", 2000);
    private static final int BODIES = Integer.getInteger("mutation.bodies", 1000);
    private static final String[] TOKENS = {"\n", ":", " ", "- ", "[", "]", "{", "}", "\"", "'", "&a", "*a", "!!str", "!!java.io.File", "#",
        "\t", "\u0000", "..", "/", "\\", "%", "9999999999999999999999", "-1", "null", "~", "true", "<<: *a", "\uFFFF", "é"};
    @TempDir Path dir;

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(6);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b = splice(b, at, at + 1, new byte[0]);
                case 2 -> b = splice(b, at, at, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 3 -> b = java.util.Arrays.copyOf(b, at);
                case 4 -> b = splice(b, at, at, java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + r.nextInt(40))));
                default -> b = splice(b, at, at, "x".repeat(1 + r.nextInt(100_000)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return b;
    }

    /** {@code b} with [from, to) replaced by {@code insert}. */
    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    @Test
    void mutatedConfigurationFilesOnlyLoadOrGiveInvalidConfiguration() throws Exception {
        String seed = "mode: development\nstate_dir: " + dir.resolve("state") + "\nmachine:\n  name: st-1\ntpm:\n  uri: none\n  pcrs: [0, 1, 7]\n"
                + "devices:\n  ports: 4501-4600\n  allowed_skew_seconds: 300\napi:\n  port: 0\n  max_body_bytes: 65536\n"
                + "queue:\n  initial_backoff_ms: 500\n  max_backoff_seconds: 300\n";
        Random r = new Random(SEED);
        ConfigLoader loader = new ConfigLoader(Map.of());
        Path file = dir.resolve("agent.yaml");
        int loaded = 0;
        int refused = 0;
        List<String> crashes = new ArrayList<>();
        for (int i = 0; i < CONFIGS; i++) {
            byte[] mutated = mutate(seed.getBytes(StandardCharsets.UTF_8), r);
            Files.write(file, mutated);
            try {
                loader.load(file);
                loaded++;
            } catch (InvalidConfiguration e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                refused++;
            } catch (RuntimeException e) {
                if (crashes.size() < 5) crashes.add("case " + i + " (seed " + SEED + "): " + e);
            }
        }
        System.out.printf("config mutations: %d, loaded %d, refused %d, crashes %d%n", CONFIGS, loaded, refused, crashes.size());
        assertEquals(List.of(), crashes);
        assertTrue(refused > CONFIGS / 10, "the mutations do reach the validation: " + refused);
    }

    @Test
    void mutatedLocalApiBodiesOnlyGetJsonRefusals() throws Exception {
        String[] seeds = {
            "{\"modality\":\"Face\",\"deviceSubId\":0,\"consentReference\":\"c-1\",\"registrationId\":\"R-1\",\"operator\":\"op\"}",
            "{\"modality\":\"Finger\",\"deviceSubId\":1,\"subtypes\":[\"Left IndexFinger\"],\"exceptions\":[],\"requestedScore\":40,"
                    + "\"timeoutMs\":5000,\"consentReference\":\"c-2\",\"registrationId\":\"R-2\"}",
            "{\"token\":\"ste_abc\"}"};
        Random r = new Random(SEED);
        List<String> bad = new ArrayList<>();
        int[] byStatus = new int[6];
        try (StationFixture station = new StationFixture(dir.resolve("station"));
             RunningAgent agent = station.startAgent("mutation")) {
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            for (int i = 0; i < BODIES; i++) {
                byte[] body = mutate(seeds[i % seeds.length].getBytes(StandardCharsets.UTF_8), r);
                String path = i % seeds.length == 2 ? "/v1/enrollment" : "/v1/captures";
                AgentClient.Answer a = client.post(path, new String(body, StandardCharsets.UTF_8));
                byStatus[a.status() / 100]++;
                if (a.status() >= 500 && !(a.status() == 503 && a.body().path("error").path("code").isTextual())) {
                    if (bad.size() < 5) bad.add("case " + i + " " + path + " -> " + a.status() + " " + a.body());
                } else if (a.status() >= 400 && !a.body().path("error").path("code").isTextual()) {
                    if (bad.size() < 5) bad.add("case " + i + " " + path + " -> " + a.status() + " without a JSON reason");
                }
            }
        }
        System.out.printf("api mutations: %d, 2xx %d, 4xx %d, 5xx %d%n", BODIES, byStatus[2], byStatus[4], byStatus[5]);
        assertEquals(List.of(), bad);
    }
}
