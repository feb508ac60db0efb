package org.stationtrust.agent.internal.service;

import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmException;

/**
 * The two machine-key handles a rotation alternates between, as {@link KeyRotationProcedure} uses them: the fresh key
 * next to the current one, the pending key as it sits in the TPM, and eviction (audited).
 */
final class RotationKeys {
    private static final JsonLog LOG = new JsonLog(RotationKeys.class);
    private final StationIdentity identity;
    private final AuditLog audit;

    RotationKeys(StationIdentity identity, AuditLog audit) {
        this.identity = identity;
        this.audit = audit;
    }

    /**
     * A fresh machine key at the other handle, next to the current one (the request must be signed by the old key).
     * A retired key left there by an earlier rotation is replaced, never reused.
     */
    MachineIdentity next() throws TpmException {
        int handle = identity.current().config().machineKeyHandle();
        int other = handle == StationIdentity.MACHINE_KEY_HANDLES.get(0)
                ? StationIdentity.MACHINE_KEY_HANDLES.get(1) : StationIdentity.MACHINE_KEY_HANDLES.get(0);
        MachineIdentity next = identity.machineKeyAt(other);
        identity.call(m -> {
            next.rotateMachineKey();
            return null;
        });
        return next;
    }

    /**
     * The pending key as it sits in the TPM, if it is the one recorded. Loading an empty handle creates a key there;
     * such a stranger is evicted again and the answer is empty (the pending key is lost).
     */
    Optional<MachineIdentity> loadPending() throws TpmException {
        StationState s = identity.state();
        if (!s.rotationPending() || identity.machine().isEmpty()) return Optional.empty();
        MachineIdentity found = identity.machineKeyAt(s.pendingRotation().orElseThrow().handle());
        if (StationIdentity.hex(found.machineKey().name()).equals(s.pendingRotation().orElseThrow().keyNameHex())) return Optional.of(found);
        LOG.warn("machine_key.pending_missing", "handle", handleText(s.pendingRotation().orElseThrow().handle()),
                "message", "the pending rotation's key is no longer in the TPM");
        evict(found, "stranger");
        return Optional.empty();
    }

    Optional<MachineIdentity> loadPendingQuietly(StationState s) {
        try {
            return loadPending();
        } catch (TpmException | RuntimeException e) {
            LOG.warn("machine_key.pending_unreadable", "handle", handleText(s.pendingRotation().orElseThrow().handle()),
                    "reason", e.getMessage());
            return Optional.empty();
        }
    }

    void evict(MachineIdentity key, String what) {
        try {
            key.evictMachineKey();
            audit.append("machine_key.evicted", Map.of("keyName", StationIdentity.hex(key.machineKey().name()),
                    "handle", handleText(key.config().machineKeyHandle()), "what", what));
        } catch (TpmException | RuntimeException e) {
            LOG.warn("machine_key.evict_failed", "handle", handleText(key.config().machineKeyHandle()),
                    "reason", e.getMessage());
            audit.append("machine_key.evict_failed", Map.of("handle", handleText(key.config().machineKeyHandle()),
                    "reason", e.getClass().getSimpleName()));
        }
    }

    static String handleText(int handle) {
        return String.format("0x%08X", handle);
    }
}
