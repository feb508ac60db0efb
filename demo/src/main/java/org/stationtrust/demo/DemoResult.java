package org.stationtrust.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * What one run of the demo did: each step with its outcome, the processes left running (none, when all
 * went well), the CTK reports, and the resident memory of the server and the agent after the registration.
 */
public record DemoResult(Path workDir, List<Story.Step> steps, List<String> leftoverProcesses, List<Path> ctkReports,
                         long serverRssKb, long agentRssKb, long totalMs) {
    public DemoResult {
        steps = List.copyOf(steps);
        leftoverProcesses = List.copyOf(leftoverProcesses);
        ctkReports = List.copyOf(ctkReports);
    }

    public boolean passed() {
        return leftoverProcesses.isEmpty() && steps.stream().allMatch(Story.Step::passed);
    }
}
