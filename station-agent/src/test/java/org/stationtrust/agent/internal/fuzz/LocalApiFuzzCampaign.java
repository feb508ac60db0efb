package org.stationtrust.agent.internal.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The local API fuzz target for an hour, on demand only (never in the build):
 * {@code JAZZER_FUZZ=1 mvn -o -pl station-agent test -DskipFuzz=true -Dtest=LocalApiFuzzCampaign
 * -Djazzer.instrumentation_includes='org.stationtrust.**'}. Stop it earlier with Ctrl-C; the corpus it grows stays
 * in station-agent/.cifuzz-corpus and a crashing input is written under src/test/resources, where every build replays it.
 */
class LocalApiFuzzCampaign {
    @FuzzTest(maxDuration = "1h")
    void everyRequestIsAnsweredOrRefusedWithATypedJsonError(FuzzedDataProvider data) throws Exception {
        LocalApiTarget.get().exercise(data);
    }
}
