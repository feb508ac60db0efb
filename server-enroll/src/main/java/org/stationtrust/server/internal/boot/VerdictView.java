package org.stationtrust.server.internal.boot;

import java.util.List;
import org.stationtrust.tpm.eventlog.BootState;

/**
 * A verdict as JSON shows it: the result's wire name, the rule and event that failed (null when it
 * passed), the message, the changes since the last accepted boot and the boot state (null when the
 * log did not verify).
 */
public record VerdictView(String result, String rule, Integer event, String message, List<String> changes,
        BootState bootState) {
    public static VerdictView of(BootVerdict v) {
        return new VerdictView(v.result().wire(), v.rule().orElse(null), v.event().orElse(null), v.message(),
                v.changes(), v.state().orElse(null));
    }
}
