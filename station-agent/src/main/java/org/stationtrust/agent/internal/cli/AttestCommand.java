package org.stationtrust.agent.internal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "attest", description = "Ask the running agent to attest now (quote with a fresh server nonce).")
final class AttestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return LocalAgent.post(spec, "/v1/attestations", 202);
    }
}
