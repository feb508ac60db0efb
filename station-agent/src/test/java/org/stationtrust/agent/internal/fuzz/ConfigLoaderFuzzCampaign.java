package org.stationtrust.agent.internal.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The configuration loader fuzz target for an hour, on demand only (never in the build):
 * {@code JAZZER_FUZZ=1 mvn -o -pl station-agent test -DskipFuzz=true -Dtest=ConfigLoaderFuzzCampaign
 * -Djazzer.instrumentation_includes='org.stationtrust.**'}; see {@link LocalApiFuzzCampaign}.
 */
class ConfigLoaderFuzzCampaign {
    @FuzzTest(maxDuration = "1h")
    void everyConfigurationLoadsOrIsRefusedWithNamedProblems(FuzzedDataProvider data) throws Exception {
        ConfigLoaderTarget.get().exercise(data);
    }
}
