package org.stationtrust.tpm.eventlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stationtrust.tpm.PcrBanks;
import org.stationtrust.tpm.verify.Attestation;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrBankSelection;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmSignature;

/** Every real log parses and replays; tpm2-tools (written by others) is the reference for the PCR values. */
class RealEventLogsTest {
    private static final Pattern PCR_LINE = Pattern.compile("^\\s+(\\d+)\\s*:\\s*0x([0-9a-fA-F]+)$");
    private static final Pattern BANK_LINE = Pattern.compile("^\\s+(sha1|sha256|sha384|sha512):$");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.stationtrust.tpm.eventlog.RealEventLogs#binary")
    void everyRealLogParsesAndReplaysToWhatTpm2EventlogComputes(String name) throws Exception {
        byte[] bytes = RealEventLogs.read(name);
        EventLog log = EventLog.parse(bytes);
        ReplayedPcrs replayed = log.replay();
        assertFalse(log.events().isEmpty(), name);
        for (HashAlgorithm bank : log.banks()) {
            BootState.claimedBy(log, bank); // reads every event's content without failing
        }
        if (RealEventLogs.UNREADABLE_BY_TPM2_TOOLS.contains(name)) {
            return;
        }
        String yaml = tpm2Eventlog(bytes);
        Map<HashAlgorithm, SortedMap<Integer, String>> expected = pcrsOf(yaml);
        // an empty SecureBoot variable (VariableDataLength 0) is measured, and means off
        HashAlgorithm any = log.banks().iterator().next();
        SecureBoot expectedSecureBoot = !yaml.contains("UnicodeName: SecureBoot\n") ? SecureBoot.NOT_MEASURED
                : yaml.contains("UnicodeName: SecureBoot\n    VariableData: \"01\"") ? SecureBoot.ON : SecureBoot.OFF;
        assertEquals(expectedSecureBoot, BootState.claimedBy(log, any).secureBoot(), name + ": SecureBoot");
        assertFalse(expected.isEmpty() && !replayed.touched(log.banks().iterator().next()).isEmpty(),
                name + ": tpm2_eventlog printed no PCR values");
        assertEquals(expected.keySet(), log.banks(), name + ": banks");
        for (HashAlgorithm bank : log.banks()) {
            SortedMap<Integer, String> ours = new TreeMap<>();
            replayed.touchedValues(bank).forEach((pcr, v) -> ours.put(pcr, HexFormat.of().formatHex(v)));
            if (log.startupLocality() != 0 && ours.containsKey(0)) {
                // tpm2_eventlog 5.4 starts PCR 0 at zero and extends the StartupLocality EV_NO_ACTION event's
                // zero digest; PC Client PFP §10.4.5.3 starts it at the locality and extends no EV_NO_ACTION.
                // Check each against an independent fold of the digests done its way.
                assertEquals(expected.get(bank).get(0), HexFormat.of().formatHex(fold(log, bank, 0, true)), name);
                assertEquals(ours.get(0), HexFormat.of().formatHex(fold(log, bank, log.startupLocality(), false)), name);
                ours.remove(0);
                expected.get(bank).remove(0);
            }
            assertEquals(expected.get(bank), ours, name + ": " + bank + " PCRs");
        }
        assertSha1LogsAreQuotedAndVerifiedInTheSha1Bank(name, log, expected);
    }

    /**
     * A log without SHA-256 digests makes the agent quote SHA-1 beside SHA-256, and it verifies in the SHA-1 bank
     * against the values tpm2_eventlog computed, standing for the TPM's quoted ones; any other log is quoted in
     * SHA-256 alone.
     */
    private static void assertSha1LogsAreQuotedAndVerifiedInTheSha1Bank(String name, EventLog log,
            Map<HashAlgorithm, SortedMap<Integer, String>> tpm2Tools) throws Exception {
        boolean sha1Only = !log.banks().contains(HashAlgorithm.SHA256);
        assertEquals(sha1Only ? PcrBanks.SHA256_AND_SHA1 : PcrBanks.SHA256, PcrBanks.forEventLog(log), name);
        if (!sha1Only) {
            return;
        }
        SortedMap<Integer, byte[]> quoted = new TreeMap<>();
        tpm2Tools.get(HashAlgorithm.SHA1).forEach((pcr, hex) -> quoted.put(pcr, HexFormat.of().parseHex(hex)));
        VerifiedEventLog verified = EventLogReplay.verify(log, HashAlgorithm.SHA1, quoted,
                new TreeSet<>(quoted.keySet()), false);
        assertEquals(HashAlgorithm.SHA1, BootState.of(verified).bank(), name);
        int pcr = quoted.firstKey();
        byte[] changed = quoted.get(pcr).clone();
        changed[0] ^= 1;
        quoted.put(pcr, changed);
        assertThrows(EventLogMismatch.class, () -> EventLogReplay.verify(log, HashAlgorithm.SHA1, quoted,
                new TreeSet<>(quoted.keySet()), false), name + ": another SHA-1 value of PCR " + pcr);
    }

    @Test
    void theSha1OptionRomLogThatTpm2ToolsCannotReadParsesWithItsPcrs() throws Exception {
        EventLog log = EventLog.parse(RealEventLogs.read("go-attestation/option_rom_eventlog"));
        assertEquals(EventLogFormat.SHA1, log.format());
        assertEquals(java.util.Set.of(HashAlgorithm.SHA1), log.banks());
        // go-attestation: an HP desktop whose option ROMs are measured, with Windows' PCRs 11-14
        assertTrue(log.replay().touched(HashAlgorithm.SHA1).containsAll(java.util.List.of(0, 2, 4, 7, 11, 12, 13, 14)),
                log.replay().touched(HashAlgorithm.SHA1).toString());
        assertTrue(log.events().stream().anyMatch(e -> e.pcr() == 2
                && e.type() == EventType.EV_EFI_BOOT_SERVICES_DRIVER), "option ROM drivers in PCR 2");
    }

    @Test
    void theLogHoldingOnlyAStartupLocalityEventParsesWithLocalityThreeAndNoMeasurement() throws Exception {
        EventLog log = EventLog.parse(RealEventLogs.read("go-attestation/short_no_action_eventlog"));
        assertEquals(1, log.events().size());
        assertEquals(3, log.startupLocality());
        assertTrue(log.replay().touched(HashAlgorithm.SHA1).isEmpty());
        byte[] pcr0 = new byte[20];
        pcr0[19] = 3;
        assertArrayEquals(pcr0, log.replay().value(HashAlgorithm.SHA1, 0), "PCR 0 starts at locality 3");
    }

    @Test
    void theWindowsQuoteVerifiesWithItsAttestationKeyAndTheLogReplaysToItsPcrs() throws Exception {
        String json = new String(RealEventLogs.read(RealEventLogs.WINDOWS_JSON), StandardCharsets.UTF_8);
        TpmPublic ak = TpmPublic.parse(base64(json, "\"AK\"\\s*:\\s*\\{\\s*\"Public\"\\s*:\\s*\"([^\"]+)\""));
        byte[] attest = base64(json, "\"Quote\"\\s*:\\s*\"([^\"]+)\"");
        TpmSignature signature = TpmSignature.parse(base64(json, "\"Signature\"\\s*:\\s*\"([^\"]+)\""));
        assertTrue(signature.verify(ak.toPublicKey(), attest), "quote signature by the AK");

        Attestation quote = Attestation.parse(attest);
        assertTrue(quote.isTpmGenerated());
        PcrBankSelection selection = quote.quote().orElseThrow().pcrSelection().get(0);
        assertEquals(HashAlgorithm.SHA1, selection.hash());
        SortedMap<Integer, byte[]> pcrs = quotedPcrs(json);
        assertEquals(selection.pcrs(), pcrs.keySet());
        var md = HashAlgorithm.SHA1.newDigest(); // pcrDigest with the signing scheme's hash (Part 3 §18.4)
        pcrs.values().forEach(md::update);
        assertArrayEquals(quote.quote().orElseThrow().pcrDigest(), md.digest(), "the PCR values are the quoted ones");

        EventLog log = EventLog.parse(base64(json, "\"Raw\"\\s*:\\s*\"([^\"]+)\""));
        VerifiedEventLog verified = EventLogReplay.verify(log, HashAlgorithm.SHA1, pcrs, new TreeSet<>(pcrs.keySet()),
                false);
        assertEquals(24, verified.pcrs().size());
        BootState state = BootState.of(verified);
        assertEquals(SecureBoot.ON, state.secureBoot());
        assertFalse(state.db().isEmpty());
        assertTrue(state.db().stream().anyMatch(e -> e.subject().contains("Microsoft Windows Production PCA 2011")),
                state.db().toString());
    }

    /** PCR 0's extend chain written out independently of ReplayedPcrs. */
    private static byte[] fold(EventLog log, HashAlgorithm bank, int locality, boolean tpm2ToolsWay) {
        byte[] value = new byte[bank.digestLength()];
        value[value.length - 1] = (byte) (tpm2ToolsWay ? 0 : locality);
        for (MeasuredEvent e : log.events()) {
            if (e.pcr() == 0 && e.index() > 0 && (tpm2ToolsWay || e.type() != EventType.EV_NO_ACTION)) {
                var md = bank.newDigest();
                md.update(value);
                md.update(e.digest(bank).orElseThrow().value());
                value = md.digest();
            }
        }
        return value;
    }

    private static byte[] base64(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertTrue(m.find(), regex);
        return Base64.getDecoder().decode(m.group(1));
    }

    private static SortedMap<Integer, byte[]> quotedPcrs(String json) {
        SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
        Matcher m = Pattern.compile("\\{\\s*\"Index\"\\s*:\\s*(\\d+)\\s*,\\s*\"Digest\"\\s*:\\s*\"([^\"]+)\"\\s*,"
                + "\\s*\"DigestAlg\"\\s*:\\s*3\\s*\\}").matcher(json);
        while (m.find()) {
            pcrs.put(Integer.parseInt(m.group(1)), Base64.getDecoder().decode(m.group(2)));
        }
        return pcrs;
    }

    /** Runs tpm2_eventlog on the log: its YAML output. */
    private String tpm2Eventlog(byte[] log) throws IOException, InterruptedException {
        Path file = dir.resolve("log.bin");
        Files.write(file, log);
        Process p = new ProcessBuilder("tpm2_eventlog", file.toString()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tpm2_eventlog (apt-get install tpm2-tools) failed: " + out);
        return out;
    }

    /** The "pcrs:" section tpm2_eventlog prints. */
    private static Map<HashAlgorithm, SortedMap<Integer, String>> pcrsOf(String out) {
        Map<HashAlgorithm, SortedMap<Integer, String>> banks = new EnumMap<>(HashAlgorithm.class);
        SortedMap<Integer, String> current = null;
        boolean inPcrs = false;
        for (String line : out.split("\n")) {
            inPcrs |= line.equals("pcrs:");
            Matcher bank = BANK_LINE.matcher(line);
            Matcher pcr = PCR_LINE.matcher(line);
            if (inPcrs && bank.matches()) {
                current = new TreeMap<>();
                banks.put(HashAlgorithm.valueOf(bank.group(1).toUpperCase(java.util.Locale.ROOT)), current);
            } else if (inPcrs && current != null && pcr.matches()) {
                current.put(Integer.parseInt(pcr.group(1)), pcr.group(2).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return banks;
    }
}
