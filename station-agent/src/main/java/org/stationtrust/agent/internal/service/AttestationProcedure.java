package org.stationtrust.agent.internal.service;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.boot.EventLogSource;
import org.stationtrust.agent.internal.boot.EventLogUnreadable;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.internal.server.ServerUnreachable;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.QuoteResult;
import org.stationtrust.tpm.PcrBanks;
import org.stationtrust.tpm.Quote;
import org.stationtrust.tpm.TpmException;

/**
 * One attestation, beside {@link EnrollmentProcedure} and {@link KeyRotationProcedure}: a fresh nonce from the server,
 * a quote by the AK over the configured PCRs (SHA-256, plus SHA-1 when the boot event log carries no SHA-256
 * digests, so that the server can replay it), and the log (docs/measured-boot.md); the server verifies.
 * A log the server already holds travels as its digest only; on {@code event_log_required} it is sent whole. When
 * the server accepted this very log last time (or there is none), nonce and quote go unsigned: the quote alone
 * authenticates the exchange.
 */
final class AttestationProcedure {
    private static final JsonLog LOG = new JsonLog(AttestationProcedure.class);
    private final StationIdentity identity;
    private final ServerClient server;
    private final AuditLog audit;
    private final List<Integer> pcrs;
    private final EventLogSource eventLog;
    private final RequestSigning signing;
    /** The SHA-256 (hex) of the boot event log the server accepted last, from its answer; null: none known. */
    private volatile String acceptedLogSha256;

    AttestationProcedure(StationIdentity identity, ServerClient server, AuditLog audit, List<Integer> pcrs,
                         EventLogSource eventLog, RequestSigning signing) {
        this.identity = identity;
        this.server = server;
        this.audit = audit;
        this.pcrs = pcrs;
        this.eventLog = eventLog;
        this.signing = signing;
    }

    /** Attests once; answers the server's verdict (its attestation interval included). */
    QuoteResult attest() throws ServerUnreachable, ServerRefused, TpmException {
        try {
            return quoteOnce(false);
        } catch (ServerRefused e) {
            // the server no longer holds the log whose digest was sent (another instance, a restore): send it whole
            if (!e.is(ErrorCode.EVENT_LOG_REQUIRED)) throw e;
            return quoteOnce(true);
        }
    }

    private QuoteResult quoteOnce(boolean wholeLog) throws ServerUnreachable, ServerRefused, TpmException {
        byte[] log = bootEventLog();
        String digest = log == null ? null : HexFormat.of().formatHex(sha256(log));
        String machineId = identity.state().machineId();
        // The server accepted this very log last time (or there is none): the quote alone authenticates the
        // exchange, so neither request needs the machine key's signature (docs/server-api.md, "Attestation").
        if (!wholeLog && machineId != null && (log == null || digest.equalsIgnoreCase(acceptedLogSha256))) {
            String nonce = server.unsignedQuoteNonce(machineId);
            Quote quote = quote(nonce, log);
            return remember(server.submitUnsignedQuote(machineId, new ServerClient.QuoteEvidence(nonce,
                    quote.attest(), quote.signature(), quote.pcrs(), null, digest)));
        }
        ServerClient.QuoteNonce issued = server.quoteNonce(signing);
        String nonce = issued.nonce();
        Quote quote = quote(nonce, log);
        // wire cost: a log the server already holds travels as its digest only
        boolean unchanged = !wholeLog && digest != null && issued.heldEventLogSha256().map(digest::equalsIgnoreCase)
                .orElse(false);
        return remember(server.submitQuote(new ServerClient.QuoteEvidence(nonce, quote.attest(), quote.signature(),
                quote.pcrs(), unchanged ? null : log, unchanged ? digest : null), signing));
    }

    /** The quote, over the banks the log needs: SHA-256, and SHA-1 beside it for a log without SHA-256 digests. */
    private Quote quote(String nonce, byte[] log) throws TpmException {
        PcrBanks banks = PcrBanks.forEventLog(java.util.Optional.ofNullable(log));
        return identity.call(m -> m.quote(Base64.getDecoder().decode(nonce), EnrollmentProcedure.selection(pcrs), banks));
    }

    /** The digest of the log the server now holds, so that the next quote of the same boot sends only that. */
    private QuoteResult remember(QuoteResult answer) {
        acceptedLogSha256 = answer.eventLogSha256();
        return answer;
    }

    /** The boot event log, or null (none configured, or unreadable: audited, and the server's policy decides). */
    private byte[] bootEventLog() {
        try {
            return eventLog.read().orElse(null);
        } catch (EventLogUnreadable e) {
            LOG.warn("event_log.unreadable", "source", eventLog.describe(), "reason", e.getMessage());
            audit.append("event_log.unreadable", Map.of("source", eventLog.describe()));
            return null;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 has SHA-256", e);
        }
    }
}
