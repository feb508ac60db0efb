package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuoteVerifier;
import org.stationtrust.tpm.verify.QuotedPcrs;

/**
 * Cross-checks with tpm2-tools, a TPM stack nobody here wrote. swtpm serves one client at a time, so
 * our connection is closed before any tool runs.
 */
@ExtendWith(SoftwareTpmExtension.class)
class Tpm2ToolsCrossCheckTest {

    @Test
    void tpm2CheckquoteAcceptsAQuoteMadeByOurCode(SoftwareTpm tpm, @TempDir Path dir) throws Exception {
        byte[] nonce = AttestationTest.random(32);
        Quote quote;
        byte[] akPublic;
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            quote = identity.quote(nonce);
            akPublic = identity.attestationKey().publicArea().encoded();
        }
        writeFiles(dir, quote, akPublic);

        Result ok = run(tpm, dir, "tpm2_checkquote", "-u", "ak.pub", "-m", "quote.msg", "-s", "quote.sig",
                "-f", "pcrs.bin", "-g", "sha256", "-q", HexFormat.of().formatHex(nonce));
        assertEquals(0, ok.exitCode(), ok.output());

        Result wrongNonce = run(tpm, dir, "tpm2_checkquote", "-u", "ak.pub", "-m", "quote.msg", "-s", "quote.sig",
                "-f", "pcrs.bin", "-g", "sha256", "-q", HexFormat.of().formatHex(AttestationTest.random(32)));
        assertNotEquals(0, wrongNonce.exitCode(), "tpm2_checkquote must reject another nonce: " + wrongNonce.output());

        byte[] pcrs = Files.readAllBytes(dir.resolve("pcrs.bin"));
        byte[] otherPcrs = pcrs.clone();
        otherPcrs[4 + 16 * 8 + 4 + 4 + 2] ^= 1; // first byte of the first PCR value
        Files.write(dir.resolve("pcrs.bin"), otherPcrs);
        Result wrongPcrs = run(tpm, dir, "tpm2_checkquote", "-u", "ak.pub", "-m", "quote.msg", "-s", "quote.sig",
                "-f", "pcrs.bin", "-g", "sha256", "-q", HexFormat.of().formatHex(nonce));
        assertNotEquals(0, wrongPcrs.exitCode(), "tpm2_checkquote must reject other PCR values: " + wrongPcrs.output());
        Files.write(dir.resolve("pcrs.bin"), pcrs);

        byte[] msg = quote.attest();
        msg[msg.length - 1] ^= 1;
        Files.write(dir.resolve("quote.msg"), msg);
        Result tampered = run(tpm, dir, "tpm2_checkquote", "-u", "ak.pub", "-m", "quote.msg", "-s", "quote.sig",
                "-f", "pcrs.bin", "-g", "sha256", "-q", HexFormat.of().formatHex(nonce));
        assertNotEquals(0, tampered.exitCode(), "tpm2_checkquote must reject a tampered quote: " + tampered.output());
    }

    @Test
    void tpm2CheckquoteAcceptsOurQuotesOverTheSha1BankAndOverBothBanks(@TempDir Path dir) throws Exception {
        try (SoftwareTpm tpm = SoftwareTpm.start(dir.resolve("tpm"), List.of(HashAlgorithm.SHA1, HashAlgorithm.SHA256))) {
            for (PcrBanks banks : List.of(PcrBanks.SHA256_AND_SHA1, PcrBanks.of(HashAlgorithm.SHA1))) {
                byte[] nonce = AttestationTest.random(32);
                Quote quote;
                byte[] akPublic;
                try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
                    MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
                    quote = identity.quote(nonce, PcrSelection.DEFAULT, banks);
                    akPublic = identity.attestationKey().publicArea().encoded();
                    QuoteVerifier.verify(identity.attestationKey().publicArea(), quote.attest(), quote.signature(),
                            nonce, quote.pcrs());
                }
                assertEquals(banks.banks(), quote.pcrs().algorithms());
                assertEquals(20, quote.pcrs().bank(HashAlgorithm.SHA1).orElseThrow().value(0).length);
                Path files = Files.createDirectories(dir.resolve(banks.toString()));
                writeFiles(files, quote, akPublic);
                Result ok = run(tpm, files, "tpm2_checkquote", "-u", "ak.pub", "-m", "quote.msg", "-s", "quote.sig",
                        "-f", "pcrs.bin", "-g", "sha256", "-q", HexFormat.of().formatHex(nonce));
                assertEquals(0, ok.exitCode(), banks + ": " + ok.output());
                assertTrue(ok.output().contains("sha1:"), ok.output());

                byte[] pcrs = Files.readAllBytes(files.resolve("pcrs.bin"));
                pcrs[4 + 16 * 8 + 4 + 4 + 2] ^= 1; // the first value sent, of the first bank selected
                Files.write(files.resolve("pcrs.bin"), pcrs);
                Result wrong = run(tpm, files, "tpm2_checkquote", "-u", "ak.pub", "-m", "quote.msg", "-s",
                        "quote.sig", "-f", "pcrs.bin", "-g", "sha256", "-q", HexFormat.of().formatHex(nonce));
                assertNotEquals(0, wrong.exitCode(), banks + ": changed PCR value accepted: " + wrong.output());
            }
        }
    }

    @Test
    void tpm2ToolsFindsRoomForItsObjectsAfterOurCode(SoftwareTpm tpm, @TempDir Path dir) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            var challenge = org.stationtrust.tpm.verify.CredentialChallenge.make(identity.endorsementKey().publicArea(),
                    identity.attestationKey().name(), AttestationTest.random(16));
            identity.activateCredential(challenge.credentialBlob(), challenge.encryptedSecret());
            identity.quote(AttestationTest.random(16));
            identity.certifyMachineKey(AttestationTest.random(16));
            identity.machineKey().signDer(new byte[] {1});
            SealedDataKey.seal(connection, AttestationTest.random(32), PcrSelection.of(0)).unseal(connection);
            assertTrue(connection.channel().handles(0x80000000).isEmpty(), "we leave no transient object");
            assertTrue(connection.channel().handles(0x02000000).isEmpty(), "we leave no session");
        }
        for (String[] command : List.of(
                new String[] {"tpm2_createprimary", "-C", "o", "-c", "primary.ctx"},
                new String[] {"tpm2_create", "-C", "primary.ctx", "-u", "key.pub", "-r", "key.priv"},
                // tpm2-tools leaves its own objects loaded; clear them before the step that needs 2 more
                new String[] {"tpm2_flushcontext", "-t"},
                new String[] {"tpm2_load", "-C", "primary.ctx", "-u", "key.pub", "-r", "key.priv", "-c", "key.ctx"},
                new String[] {"tpm2_flushcontext", "-t"})) {
            Result r = run(tpm, dir, command);
            assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.output());
        }
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            assertTrue(connection.channel().handles(0x80000000).isEmpty());
        }
    }

    /** The files tpm2_checkquote reads: TPM2B_PUBLIC, raw TPMS_ATTEST, TPMT_SIGNATURE, PCR values in index order. */
    private static void writeFiles(Path dir, Quote quote, byte[] akPublic) throws IOException {
        ByteArrayOutputStream pub = new ByteArrayOutputStream();
        pub.write(akPublic.length >> 8);
        pub.write(akPublic.length);
        pub.write(akPublic);
        Files.write(dir.resolve("ak.pub"), pub.toByteArray());
        Files.write(dir.resolve("quote.msg"), quote.attest());
        Files.write(dir.resolve("quote.sig"), quote.signature());
        Files.write(dir.resolve("pcrs.bin"), serializedPcrs(quote.pcrs()));
    }

    /**
     * tpm2_quote's "-o" PCR file (tpm2-tools 5.x, host byte order, C struct layout): TPML_PCR_SELECTION
     * (u32 count, 16 x {u16 hash, u8 sizeofSelect, u8[4] select, pad}), then u32 k and k TPML_DIGESTs
     * (u32 count, 8 x {u16 size, u8[64]}), 8 values each, bank after bank in selection order.
     * (tpm2_checkquote rejects plain -l + values here.)
     */
    static byte[] serializedPcrs(QuotedPcrs quoted) {
        List<byte[]> values = new ArrayList<>();
        quoted.banks().forEach(bank -> bank.indices().forEach(i -> values.add(bank.value(i))));
        int blocks = (values.size() + 7) / 8;
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(4 + 16 * 8 + 4 + blocks * (4 + 8 * 66))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putInt(quoted.banks().size());
        for (PcrValues bank : quoted.banks()) {
            byte[] select = new byte[4];
            for (int i : bank.indices()) {
                select[i / 8] |= (byte) (1 << (i % 8));
            }
            out.putShort((short) bank.bank().id()).put((byte) 3).put(select).put((byte) 0);
        }
        out.position(4 + 16 * 8);
        out.putInt(blocks);
        for (int b = 0; b < blocks; b++) {
            int start = out.position();
            List<byte[]> chunk = values.subList(b * 8, Math.min(values.size(), b * 8 + 8));
            out.putInt(chunk.size());
            for (int k = 0; k < 8; k++) {
                out.position(start + 4 + k * 66);
                if (k < chunk.size()) {
                    out.putShort((short) chunk.get(k).length).put(chunk.get(k));
                }
            }
            out.position(start + 4 + 8 * 66);
        }
        return out.array();
    }

    record Result(int exitCode, String output) {
    }

    static Result run(SoftwareTpm tpm, Path dir, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TPM2TOOLS_TCTI", tpm.tcti());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
