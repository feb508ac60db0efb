package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer over the stored sealed-key blob parser (it reads files the agent keeps on disk): only
 * IllegalArgumentException may escape, and whatever parses re-encodes to the same bytes.
 */
class SealedDataKeyFuzzTest {
    private static final byte[] HEADER = {'S', 'T', 'S', 'K', 1};

    @FuzzTest(maxDuration = "3s")
    void onlyIllegalArgumentEscapesAndParsedBlobsRoundTrip(FuzzedDataProvider data) {
        byte[] input = data.consumeBoolean() ? withHeader(data.consumeRemainingAsBytes()) : data.consumeRemainingAsBytes();
        SealedDataKey parsed;
        try {
            parsed = SealedDataKey.fromBytes(input);
        } catch (IllegalArgumentException rejected) {
            return;
        }
        assertArrayEquals(input, parsed.toBytes());
    }

    private static byte[] withHeader(byte[] rest) {
        byte[] out = new byte[HEADER.length + rest.length];
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        System.arraycopy(rest, 0, out, HEADER.length, rest.length);
        return out;
    }
}
