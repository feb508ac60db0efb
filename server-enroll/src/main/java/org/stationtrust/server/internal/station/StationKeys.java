package org.stationtrust.server.internal.station;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.stationtrust.server.internal.store.MachineStore;

/** Decodes stored machine keys (SPKI, base64) to JCA keys, cached by key id (keys never change). */
public final class StationKeys {
    private final ConcurrentHashMap<String, ECPublicKeyParameters> cache = new ConcurrentHashMap<>();

    /** The ES256 verification key of a stored machine key, decoded once per key id. */
    public ECPublicKeyParameters verificationKey(MachineStore.MachineKey key) {
        if (cache.size() > 100_000) cache.clear();
        return cache.computeIfAbsent(key.id(), id -> Es256.key(decode(key.spki())));
    }

    public static PublicKey decode(String spkiBase64) {
        try {
            PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                    Base64.getDecoder().decode(spkiBase64)));
            if (!(k instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalStateException("Stored machine key is not an EC P-256 key");
            }
            return k;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Stored machine key cannot be decoded", e);
        }
    }
}
