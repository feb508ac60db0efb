package org.stationtrust.sbi.simulator;

import java.util.Locale;

/**
 * Ways a broken or malicious SBI device misbehaves. Exactly one mode is active at a time; it is
 * chosen at start ({@link SimulatorConfig}, CLI {@code --fault}) or switched at run time
 * ({@link SimulatedDevice#setFault}, {@code POST /admin/fault}). The admin endpoint is never
 * affected by a fault. README.md lists, for each mode, which answers it touches.
 */
public enum FaultMode {
    /** A well-behaved device. */
    NONE,
    /** Every JWS (deviceInfo, digitalId, capture data) carries a signature with one byte flipped. */
    BAD_SIGNATURE,
    /** Every JWS header says {@code "alg":"none"} and the signature part is empty. */
    ALG_NONE,
    /** Every JWS header lacks {@code x5c} (still signed with the device key). */
    MISSING_X5C,
    /** Every JWS is signed by a device certificate from the right CA that expired yesterday. */
    EXPIRED_CERTIFICATE,
    /** Every JWS is signed by a device certificate issued by a different, untrusted CA. */
    UNTRUSTED_CA,
    /** The signed digitalId in device info and captures describes another device (other serialNo, make, model). */
    FOREIGN_DIGITAL_ID,
    /** Capture {@code timestamp} and digitalId {@code dateTime} are one hour in the past. */
    STALE_TIMESTAMP,
    /** Capture {@code timestamp} and digitalId {@code dateTime} are one hour in the future. */
    FUTURE_TIMESTAMP,
    /** The first element's hash ignores the request's previousHash (chains from 32 zero bytes). */
    BROKEN_HASH_CHAIN,
    /** Capture data echoes a transactionId other than the one requested. */
    WRONG_TRANSACTION_ID,
    /** The first capture element names a bioSubType that was not requested. */
    WRONG_BIO_SUBTYPE,
    /** Two capture elements carry the same bioSubType. */
    DUPLICATE_BIO_SUBTYPE,
    /** The capture answer has one element fewer than the requested count. */
    WRONG_COUNT,
    /** qualityScore is 25 below the requestedScore (floored at 0). */
    LOW_QUALITY,
    /** JSON answers (discovery, info, captures) are cut in the middle. */
    MALFORMED_JSON,
    /** JSON answers are replaced by a huge chunked body (default 64 MiB, configurable). */
    OVERSIZED_BODY,
    /** JSON answers are sent one byte at a time with a pause between bytes. */
    SLOW_DRIP,
    /** The device reads the request and never answers (until it is closed). */
    NEVER_ANSWERS,
    /** Discovery and info say Ready, but every capture answers error 111 (busy). */
    BUSY,
    /** Captures ignore the request's timeout: nothing presented answers 101 at once, a low score answers at once. */
    IGNORES_TIMEOUT,
    /** STREAM writes stray bytes after its final boundary. */
    TRAILING_BYTES_AFTER_STREAM,
    /** Capture timestamp and digitalId dateTime carry milliseconds and a {@code +00:00} offset. */
    FRACTIONAL_TIMESTAMP;

    /** Parses an enum name, case-insensitive, with {@code -} accepted for {@code _}. */
    public static FaultMode parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown fault mode '" + text + "'; expected one of "
                    + java.util.Arrays.toString(values()), e);
        }
    }
}
