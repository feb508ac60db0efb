package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;

class NonceTokensTest {
    private static final char[] KEY = "a shared nonce key of at least thirty-two characters".toCharArray();
    private final NonceTokens tokens = new NonceTokens(KEY);
    private final long now = 1_800_000_000_000L;

    private String refusal(byte[] nonce, String machine, String purpose, long at) {
        ApiException e = assertThrows(ApiException.class, () -> tokens.verify(nonce, machine, purpose, at));
        assertEquals(ErrorCode.NONCE_INVALID, e.code());
        return e.getMessage();
    }

    @Test
    void anIssuedNonceVerifiesForItsMachineAndPurposeUntilItExpires() {
        byte[] n = tokens.issue("m1", AttestationService.PURPOSE_QUOTE, now + 120_000);
        assertEquals(32, n.length);
        assertEquals(now + 120_000, tokens.verify(n, "m1", AttestationService.PURPOSE_QUOTE, now).expiresAtMillis());
        assertTrue(refusal(n, "m1", AttestationService.PURPOSE_QUOTE, now + 120_000).contains("expired"));
    }

    @Test
    void anotherInstanceWithTheSameKeyAcceptsItAndOneWithAnotherKeyRefusesIt() {
        byte[] n = tokens.issue("m1", AttestationService.PURPOSE_QUOTE, now + 60_000);
        new NonceTokens(KEY.clone()).verify(n, "m1", AttestationService.PURPOSE_QUOTE, now);
        NonceTokens other = new NonceTokens("another key, also thirty-two characters long".toCharArray());
        ApiException e = assertThrows(ApiException.class, () -> other.verify(n, "m1", AttestationService.PURPOSE_QUOTE,
                now));
        assertTrue(e.getMessage().contains("SERVER_NONCE_KEY"), e.getMessage());
    }

    @Test
    void aNonceOfAnotherMachineIsRefused() {
        byte[] n = tokens.issue("m1", AttestationService.PURPOSE_QUOTE, now + 60_000);
        assertTrue(refusal(n, "m2", AttestationService.PURPOSE_QUOTE, now).contains("not issued by this server to "
                + "machine m2"));
    }

    @Test
    void aNonceForKeyRotationIsNoQuoteNonce() {
        byte[] n = tokens.issue("m1", AttestationService.PURPOSE_KEY_ROTATION, now + 60_000);
        assertTrue(refusal(n, "m1", AttestationService.PURPOSE_QUOTE, now).contains("another purpose"));
    }

    @Test
    void everyAlteredByteIsRefused() {
        byte[] n = tokens.issue("m1", AttestationService.PURPOSE_QUOTE, now + 60_000);
        for (int i = 0; i < n.length; i++) {
            byte[] forged = n.clone();
            forged[i] ^= 0x01;
            String why = refusal(forged, "m1", AttestationService.PURPOSE_QUOTE, now);
            assertTrue(why.startsWith("Nonce refused: "), why);
        }
    }

    @Test
    void aLaterExpiryCannotBeWrittenIntoAnExpiredNonce() {
        byte[] n = tokens.issue("m1", AttestationService.PURPOSE_QUOTE, now - 1_000);
        byte[] extended = n.clone();
        extended[2] = (byte) 0x7f;
        assertTrue(refusal(extended, "m1", AttestationService.PURPOSE_QUOTE, now).contains("not issued by this server"));
        assertTrue(refusal(n, "m1", AttestationService.PURPOSE_QUOTE, now).contains("expired"));
    }

    @Test
    void aRandomOrShortValueIsRefused() {
        assertTrue(refusal(new byte[32], "m1", AttestationService.PURPOSE_QUOTE, now).contains("wrong length or version"));
        assertTrue(refusal(new byte[16], "m1", AttestationService.PURPOSE_QUOTE, now).contains("wrong length or version"));
    }
}
