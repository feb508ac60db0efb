package org.stationtrust.tpm.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * Drives tpm2-tools (a TPM client nobody here wrote) against a software TPM, so that the verify
 * package is tested on evidence a real TPM stack produced, not on structures we built ourselves.
 */
final class Tpm2Tools {
    private final SoftwareTpm tpm;
    private final Path dir;

    Tpm2Tools(SoftwareTpm tpm, Path dir) {
        this.tpm = tpm;
        this.dir = dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    byte[] read(String name) throws IOException {
        return Files.readAllBytes(file(name));
    }

    /** Runs one tool; fails the test with its output when it exits non-zero. */
    String run(String... command) throws IOException, InterruptedException {
        Result r = tryRun(command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    record Result(int exitCode, String output) {
    }

    Result tryRun(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TPM2TOOLS_TCTI", tpm.tcti());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " cannot run (" + e.getMessage() + "); install tpm2-tools:"
                    + " apt-get install -y tpm2-tools", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** swtpm holds 3 transient objects and tpm2-tools leaves its objects and sessions loaded. */
    void flush() throws IOException, InterruptedException {
        run("tpm2_flushcontext", "-t");
        run("tpm2_flushcontext", "-s");
    }

    /** A TPM2B file (tpm2-tools writes TPM2B_PUBLIC with its size): the content after the size. */
    byte[] tpm2bContent(String name) throws IOException {
        byte[] b = read(name);
        int size = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        if (size != b.length - 2) {
            throw new AssertionError(name + " is not one TPM2B: size " + size + ", file " + b.length + " bytes");
        }
        return Arrays.copyOfRange(b, 2, b.length);
    }

    TpmPublic readPublic(String name) throws Exception {
        return TpmPublic.parse(tpm2bContent(name));
    }

    /** SHA-256 PCR values as tpm2_pcrread writes them with -o: the values concatenated in index order. */
    PcrValues pcrValues(int... indices) throws Exception {
        StringBuilder sel = new StringBuilder("sha256:");
        for (int i = 0; i < indices.length; i++) {
            sel.append(i == 0 ? "" : ",").append(indices[i]);
        }
        run("tpm2_pcrread", sel.toString(), "-o", "pcrs.bin");
        byte[] all = read("pcrs.bin");
        java.util.Map<Integer, byte[]> map = new java.util.TreeMap<>();
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            map.put(sorted[i], Arrays.copyOfRange(all, 32 * i, 32 * i + 32));
        }
        return PcrValues.sha256(map);
    }

    static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }
}
