package org.stationtrust.agent.internal.identity;

import java.security.PublicKey;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.stationtrust.tpm.TpmException;

/**
 * The TPM machine key behind {@link MachineSigner}. The key id is the server's machine id once enrolled
 * (the {@code kid} the server looks up), before that the hex Name of the machine key.
 */
public final class TpmMachineSigner implements MachineSigner {
    private final TpmAccess tpm;
    private final Supplier<String> machineId;
    private final AtomicLong signatures = new AtomicLong();

    public TpmMachineSigner(TpmAccess tpm, Supplier<String> machineId) {
        this.tpm = tpm;
        this.machineId = machineId;
    }

    @Override
    public String keyId() {
        String id = machineId.get();
        return id != null ? id : HexFormat.of().formatHex(tpm.current().machineKey().name());
    }

    @Override
    public PublicKey publicKey() {
        return tpm.current().machineKey().publicKey();
    }

    @Override
    public byte[] signJose(byte[] data) throws SigningUnavailable {
        try {
            byte[] signature = tpm.call(machine -> machine.machineKey().signJose(data));
            signatures.incrementAndGet();
            return signature;
        } catch (TpmException e) {
            throw new SigningUnavailable("the TPM refused to sign with the machine key: " + e.getMessage(), e);
        }
    }

    @Override
    public long signatures() {
        return signatures.get();
    }
}
