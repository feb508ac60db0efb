package org.stationtrust.ctk;

import java.util.List;
import java.util.Objects;
import org.stationtrust.logging.Redaction;

/**
 * The verdict on one case, with what was expected, what was seen, every check's finding and the
 * exchanges (biometric values elided).
 */
public record CaseResult(
        String id,
        String name,
        String category,
        String purpose,
        List<String> mosipIds,
        Outcome outcome,
        String reason,
        String expected,
        String actual,
        List<CheckResult> checks,
        List<ExchangeRecord> exchanges,
        double durationMs) {

    public enum Outcome { PASSED, FAILED, SKIPPED }

    /** One check's finding: status PASS, FAIL or NOT_EVALUATED. */
    public record CheckResult(String check, String status, String message) {
        /** A finding may quote what the device sent: it passes the product's redaction policy like the exchanges. */
        public CheckResult {
            message = message == null ? "" : Redaction.scrub(message);
        }
    }

    /**
     * One HTTP exchange as shown in reports; request and response have biometric values elided. The
     * instants are UTC ISO 8601 with milliseconds, on the harness's clock: when the request was sent,
     * when the answer's headers arrived (null: none did) and when the answer ended (for a STREAM its end;
     * when no answer came, the moment it was given up).
     */
    public record ExchangeRecord(String verb, String path, int status, double elapsedMs, String sentAt,
                                 String headersReceivedAt, String endedAt, String request, String response,
                                 String transportError) {
        public ExchangeRecord {
            Objects.requireNonNull(sentAt, "sentAt");
            Objects.requireNonNull(endedAt, "endedAt");
        }
    }

    public CaseResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
        mosipIds = List.copyOf(mosipIds);
        checks = List.copyOf(checks);
        exchanges = List.copyOf(exchanges);
        // Verdicts quote device values (a deviceCode, a callbackId): docs/logging.md's one policy withholds in them
        // what it withholds in the exchanges, so a signed lab report never carries a biometric or a secret.
        reason = reason == null ? "" : Redaction.scrub(reason);
        expected = expected == null ? "" : expected;
        actual = actual == null ? "" : Redaction.scrub(actual);
    }

    /** Advisory findings: reported, never a failure. */
    public List<CheckResult> warnings() {
        return checks.stream().filter(c -> "WARN".equals(c.status())).toList();
    }

    /** A case of our own, beyond MOSIP's catalogue (no MOSIP id maps to it). */
    public boolean ourAddition() {
        return mosipIds.isEmpty();
    }

    static CaseResult skipped(TestCase c, String reason) {
        return new CaseResult(c.id(), c.name(), c.category(), c.purpose(), c.mosipIds(), Outcome.SKIPPED, reason,
                "", "", List.of(), List.of(), 0);
    }
}
