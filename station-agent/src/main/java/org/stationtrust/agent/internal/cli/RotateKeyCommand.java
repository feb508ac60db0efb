package org.stationtrust.agent.internal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rotate-key", description = "Rotate the TPM machine key with the server (through the running agent).")
final class RotateKeyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return LocalAgent.post(spec, "/v1/key-rotation", 200);
    }
}
