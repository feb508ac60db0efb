package org.stationtrust.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Qualifying data (TPM2_Certify extraData) the protocol defines. */
public final class QualifyingData {
    private static final String ENROLL_PREFIX = "station-trust:enroll:";

    private QualifyingData() {
    }

    /**
     * The AK's certification of the machine key at enrollment binds the machine name:
     * {@code SHA-256(UTF-8("station-trust:enroll:" + machineName))}, 32 bytes (docs/server-api.md, "Enrollment").
     */
    public static byte[] enrollment(String machineName) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((ENROLL_PREFIX + machineName).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
