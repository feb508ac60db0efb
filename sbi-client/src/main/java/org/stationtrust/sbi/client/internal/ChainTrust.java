package org.stationtrust.sbi.client.internal;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/**
 * The trust a JWS signer's x5c chain must reach: the device-provider roots for device keys, the FTM-provider roots for
 * the chip key of an L1 device's digitalId ({@code DeviceTrustStore::check}, {@code DeviceTrustStore::checkFtmChip}).
 */
@FunctionalInterface
public interface ChainTrust {
    /** Throws when {@code chain} (leaf first) is not valid at {@code now} or does not reach the roots. */
    void check(List<X509Certificate> chain, Instant now) throws DeviceAnswerRejected;
}
