package org.stationtrust.agent.internal.atrest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import org.stationtrust.agent.internal.config.StateDirectory;
import org.stationtrust.tpm.SealedDataKey;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.TpmException;

/**
 * The queue's data key, sealed to this TPM ({@code data-key.sealed} in the state directory). Created on
 * first start; afterwards only this TPM can unseal it, so a copied state directory is unreadable elsewhere.
 * Not bound to PCRs: a firmware update would otherwise make queued packets unreadable.
 */
public final class TpmDataKey implements DataKeySource {
    public static final String FILE = "data-key.sealed";
    private static final int MAX_BLOB = 4096;
    private final TpmConnection connection;
    private final Path file;

    /** The sealed key exists but this TPM cannot unseal it. */
    public static final class ForeignDataKey extends IOException {
        private static final long serialVersionUID = 1L;

        ForeignDataKey(Path file, TpmException cause) {
            super("the data key in " + file + " does not unseal on this TPM (" + cause.getClass().getSimpleName()
                    + "): the state directory comes from another machine, or this TPM was cleared. Queued packets cannot"
                    + " be read here; move " + file.getFileName() + " and queue.db out of the state directory to start over", cause);
        }
    }

    public TpmDataKey(TpmConnection connection, Path stateDir) {
        this.connection = connection;
        this.file = stateDir.resolve(FILE);
    }

    @Override
    public SecretKey dataKey() throws IOException {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[SealedDataKey.KEY_BYTES];
                new SecureRandom().nextBytes(key);
                try {
                    StateDirectory.writePrivate(file, SealedDataKey.seal(connection, key).toBytes());
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            if (Files.size(file) > MAX_BLOB) throw new IOException(file + " is larger than " + MAX_BLOB + " bytes: not a sealed key");
            SealedDataKey sealed;
            try {
                sealed = SealedDataKey.fromBytes(Files.readAllBytes(file));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is not a sealed data key: " + e.getMessage(), e);
            }
            try {
                return sealed.unseal(connection);
            } catch (TpmException e) {
                throw new ForeignDataKey(file, e);
            }
        } catch (TpmException e) {
            throw new IOException("the TPM could not seal a new data key: " + e.getMessage(), e);
        }
    }
}
