package org.stationtrust.agent.internal.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer over the agent's local API as the registration application reaches it (see {@link LocalApiTarget}): capture
 * bodies, headers and tokens, path and query parameters. Bounded to 20 s in the build's fuzz execution
 * ({@code JAZZER_FUZZ=1}); without it, only the kept inputs under src/test/resources run. {@link LocalApiFuzzCampaign}
 * fuzzes for an hour on demand.
 */
class LocalApiFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void everyRequestIsAnsweredOrRefusedWithATypedJsonError(FuzzedDataProvider data) throws Exception {
        LocalApiTarget.get().exercise(data);
    }
}
