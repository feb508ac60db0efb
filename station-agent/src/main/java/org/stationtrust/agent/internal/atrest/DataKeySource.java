package org.stationtrust.agent.internal.atrest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.stationtrust.agent.internal.config.StateDirectory;

/** Where the 256-bit data key that encrypts the queue comes from. */
public interface DataKeySource {
    SecretKey dataKey() throws IOException;

    /**
     * Development without a TPM only: the key lies in a 0600 file in the state directory, so a copy of
     * the directory can read the queue. Production always seals the key to the TPM.
     */
    static DataKeySource unsealedFile(Path stateDir) {
        return () -> {
            Path file = stateDir.resolve("data-key.development");
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                StateDirectory.writePrivate(file, key);
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != 32) throw new IOException(file + " does not hold a 256-bit key; delete it (queued data is lost)");
            return new SecretKeySpec(key, "AES");
        };
    }
}
