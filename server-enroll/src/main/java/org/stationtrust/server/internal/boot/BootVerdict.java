package org.stationtrust.server.internal.boot;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.tpm.eventlog.BootState;

/**
 * The server's judgement of one boot.
 *
 * @param rule the policy rule that failed (or "replay", "parse", "onNoEventLog"), empty when passed
 * @param event the index of the event that broke the rule, where one did
 * @param state the boot state read from the verified log, when the log verified
 * @param changes event-level differences from the last accepted boot (PASSED_CHANGED)
 */
public record BootVerdict(Result result, Optional<String> rule, Optional<Integer> event, String message,
        Optional<BootState> state, Optional<BootSummary> summary, List<String> changes) {
    /** The results of docs/measured-boot.md; {@link #wire()} is what the API and the page show. */
    public enum Result {
        PASSED("PASSED"), PASSED_CHANGED("PASSED_CHANGED"), PCR_POLICY_VIOLATION("pcr_policy_violation"),
        EVENT_LOG_INVALID("event_log_invalid"), NO_EVENT_LOG("no_event_log");

        private final String wire;

        Result(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public boolean passed() {
            return this == PASSED || this == PASSED_CHANGED;
        }
    }

    public BootVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(summary, "summary");
        changes = List.copyOf(changes);
    }

    static BootVerdict failed(Result result, String rule, Optional<Integer> event, String message,
            Optional<BootState> state) {
        return new BootVerdict(result, Optional.of(rule), event, message, state,
                state.map(BootSummary::of), List.of());
    }
}
