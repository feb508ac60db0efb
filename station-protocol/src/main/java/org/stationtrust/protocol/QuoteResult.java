package org.stationtrust.protocol;

import java.util.List;

/**
 * A passing attestation ({@code 200}): the quoted PCR indexes and the server's attestation interval, from which
 * the station schedules its next quote.
 */
public record QuoteResult(String result, String machineId, List<Integer> pcrs, long attestationIntervalSeconds) {
    public QuoteResult {
        Fields.require("result", result);
        pcrs = pcrs == null ? List.of() : List.copyOf(pcrs);
    }
}
