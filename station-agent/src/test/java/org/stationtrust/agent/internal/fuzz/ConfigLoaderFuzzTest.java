package org.stationtrust.agent.internal.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer over the configuration loader: agent.yaml and STATION_AGENT_* overrides (see {@link ConfigLoaderTarget}).
 * Bounded to 15 s in the build's fuzz execution ({@code JAZZER_FUZZ=1}); without it, only the kept inputs under
 * src/test/resources run. {@link ConfigLoaderFuzzCampaign} fuzzes for an hour on demand.
 */
class ConfigLoaderFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void everyConfigurationLoadsOrIsRefusedWithNamedProblems(FuzzedDataProvider data) throws Exception {
        ConfigLoaderTarget.get().exercise(data);
    }
}
