package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A passing attestation ({@code 200}): the quoted PCR indexes and the server's attestation interval, from which
 * the station schedules its next quote; with a boot event log, the server's judgement of it and the log's digest
 * it now holds.
 */
public record QuoteResult(String result, String machineId, List<Integer> pcrs, long attestationIntervalSeconds,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Boot boot,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String eventLogSha256) {
    /** The measured-boot judgement: its result, the reason, and what changed since the last accepted boot. */
    public record Boot(String result, String message, List<String> changes) {
        public Boot {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }
    }

    public QuoteResult {
        Fields.require("result", result);
        pcrs = pcrs == null ? List.of() : List.copyOf(pcrs);
    }
}
