package org.stationtrust.agent.internal.capture;

import java.util.Map;
import org.stationtrust.agent.internal.api.CaptureProbe;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.logging.JsonLog;

/**
 * What a verified capture stores before it is answered, and the overlap of those writes (station-agent README, "What a
 * capture stores before it answers"): the registration chain's new end is committed on a writer thread while the
 * packet is built and signed; then the {@code capture.completed} record is written and synced while the packet's
 * queue row commits on a writer thread. The packet is stored only together with its record, once the chain step is
 * durable: a capture that cannot be stored whole leaves neither, and its chain step is rewound, so the operator's
 * capture again is the only packet the server gets. Nothing here answers before its write is durable or has failed.
 */
final class CaptureCommit implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(CaptureCommit.class);
    private final ConcurrentWrites writes = new ConcurrentWrites(4);
    private final AuditLog audit;
    private final PacketOutbox outbox;
    private final RegistrationChains chains;

    CaptureCommit(AuditLog audit, PacketOutbox outbox, RegistrationChains chains) {
        this.audit = audit;
        this.outbox = outbox;
        this.chains = chains;
    }

    /** Starts committing the registration chain's step from {@code previousHash} to {@code lastHash}, in the background. */
    Step begin(String registrationId, String previousHash, String lastHash, CaptureProbe probe) {
        ConcurrentWrites.Pending chainWrite = writes.start("bg.chainCommit", () -> chains.advance(registrationId, lastHash));
        return new Step(registrationId, previousHash, lastHash, chainWrite, probe);
    }

    /** One capture's commit, begun with its chain step. */
    final class Step {
        private final String registrationId;
        private final String previousHash;
        private final String lastHash;
        private final ConcurrentWrites.Pending chainWrite;
        private final CaptureProbe probe;

        private Step(String registrationId, String previousHash, String lastHash, ConcurrentWrites.Pending chainWrite,
                     CaptureProbe probe) {
            this.registrationId = registrationId;
            this.previousHash = previousHash;
            this.lastHash = lastHash;
            this.chainWrite = chainWrite;
            this.probe = probe;
        }

        /**
         * No packet will be stored (it could not be signed): the chain step stays, as the device's chain did advance.
         * Waits for its commit and throws its failure, if any.
         */
        void chainOnly() {
            RuntimeException chainFailure = chainWrite.await(probe);
            if (chainFailure != null) throw chainFailure;
        }

        /**
         * Stores the packet and its audit record, both or neither. On failure the chain step is rewound (as far as the
         * disk allows) and the failure thrown: an {@link java.io.UncheckedIOException} or a
         * {@link org.stationtrust.agent.internal.config.StorageUnavailable} when the state directory could not be written.
         */
        void store(String packetId, String jws, Map<String, Object> auditFields) {
            try {
                audit.appendConcurrentlyWith(AuditLog.CAPTURE_COMPLETED, auditFields, () -> {
                    RuntimeException chainFailure = probe.time("store.chainWait", () -> chainWrite.await(probe));
                    if (chainFailure != null) throw chainFailure;
                    probe.time("store.queueWrite", () -> {
                        outbox.store(packetId, jws);
                        return null;
                    });
                }, writes.executor(), () -> outbox.withdraw(packetId));
            } catch (RuntimeException e) {
                rewind();
                throw e;
            }
        }

        /** Once the chain commit has finished, undoes its step (as far as the disk allows: a failure is logged). */
        private void rewind() {
            chainWrite.await(probe);
            try {
                chains.rewind(registrationId, lastHash, previousHash);
            } catch (RuntimeException e) {
                LOG.warn("capture.chain_not_rewound", "registrationId", registrationId, "reason", e.getMessage());
            }
        }
    }

    /** Stops the writers' threads (after the local API stopped taking captures). */
    @Override
    public void close() {
        writes.close();
    }
}
