package org.stationtrust.server.internal.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stationtrust.server.internal.attest.PcrMap;
import org.stationtrust.server.internal.attest.PcrPolicy;
import org.stationtrust.server.internal.store.Machine;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.StationMachine;

/** JSON shapes of the admin API (docs/server-api.md). */
public final class Views {
    private Views() {
    }

    public static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    /** Attestation status as shown to operators: OK, FAILED, NONE, or OVERDUE when OK but too old. */
    public static String attestation(Machine m, long now, long intervalMillis) {
        return m.attestationStatus().seen(m.overdue(now, intervalMillis)).name();
    }

    /** The same for the machine a signed station request carries. */
    public static String attestation(StationMachine m, long now, long intervalMillis) {
        return m.attestationStatus().seen(m.overdue(now, intervalMillis)).name();
    }

    public static Map<String, Object> machine(Machine m, long intervalMillis) {
        Map<String, Object> v = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        v.put("machineId", m.id());
        v.put("machineName", m.name());
        v.put("state", m.state().name());
        v.put("ekVerified", m.ekVerified());
        v.put("ekCertificateSubject", m.ekSubject());
        v.put("ekCertificateIssuer", m.ekIssuer());
        v.put("ekCertificateSerial", m.ekSerial());
        v.put("tpmManufacturer", m.tpmManufacturer());
        v.put("reenrollmentOf", m.replacesMachine());
        v.put("enrollmentTokenId", m.enrollmentTokenId());
        v.put("requestSource", m.requestSource());
        v.put("createdAt", time(m.createdAt()));
        v.put("firstQuotePcrs", m.firstQuotePcrs() == null ? null : PcrMap.toHex(m.firstQuotePcrs()));
        PcrPolicy.Source policy = PcrPolicy.Source.of(m.goldenPcrs(), m.baselinePcrs());
        v.put("policy", policy == PcrPolicy.Source.NONE ? null : policy.label());
        v.put("decidedBy", m.decidedBy());
        v.put("decidedAt", time(m.decidedAt()));
        v.put("decisionReason", m.decisionReason());
        v.put("revokedBy", m.revokedBy());
        v.put("revokedAt", time(m.revokedAt()));
        v.put("revokeReason", m.revokeReason());
        v.put("attestationStatus", attestation(m, now, intervalMillis));
        v.put("attestationFailure", m.attestationFailure());
        v.put("lastAttestationAttempt", time(m.lastAttemptAt()));
        v.put("lastAttestationSuccess", time(m.lastSuccessAt()));
        return v;
    }

    public static Map<String, Object> attestationRecord(MachineStore.AttestationRecord r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("at", time(r.at()));
        v.put("outcome", r.outcome());
        v.put("detail", r.detail());
        return v;
    }
}
