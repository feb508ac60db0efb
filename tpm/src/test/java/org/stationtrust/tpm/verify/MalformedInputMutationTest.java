package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A deterministic, seeded mutation run over every verify entry point, in every normal build (the
 * Jazzer fuzz test explores further, bounded in time): only typed rejections may come out.
 */
class MalformedInputMutationTest {
    private static final int ITERATIONS_PER_TARGET = 600;

    @Test
    void mutatedStructuresAreOnlyEverRejectedWithTypedErrors() {
        Random random = new Random(20261125L);
        for (int target = 0; target < MalformedInputHarness.TARGETS; target++) {
            byte[] base = MalformedInputHarness.base(target);
            for (int i = 0; i < ITERATIONS_PER_TARGET; i++) {
                byte[] input = MalformedInputHarness.mutate(base, random::nextInt, 1 + random.nextInt(4));
                int t = target;
                assertDoesNotThrow(() -> MalformedInputHarness.exercise(t, input),
                        () -> "target " + t + ", input " + java.util.HexFormat.of().formatHex(input));
            }
        }
    }

    @Test
    void randomBytesAreOnlyEverRejectedWithTypedErrors() {
        Random random = new Random(7L);
        for (int i = 0; i < 9000; i++) {
            byte[] input = new byte[random.nextInt(600)];
            random.nextBytes(input);
            int t = i % MalformedInputHarness.TARGETS;
            assertDoesNotThrow(() -> MalformedInputHarness.exercise(t, input));
        }
    }
}
