package org.stationtrust.server.internal.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.stationtrust.tpm.eventlog.BootState;
import org.stationtrust.tpm.eventlog.EventLog;
import org.stationtrust.tpm.eventlog.EventLogLimits;
import org.stationtrust.tpm.eventlog.MalformedEventLog;
import org.stationtrust.tpm.eventlog.ReplayedPcrs;
import org.stationtrust.tpm.eventlog.SignatureEntry;
import org.stationtrust.tpm.verify.HashAlgorithm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code server-enroll eventlog replay|check}: for an admin writing a policy from a machine's log
 * (read on the machine from /sys/kernel/security/tpm0/binary_bios_measurements as root). Exit 0 on
 * success or a passing verdict, 1 on a failing verdict, 2 when the log or policy cannot be read.
 */
@Command(name = "eventlog", description = "Read a TCG boot event log: replay it, or judge it against a boot policy",
        subcommands = {EventLogCommand.Replay.class, EventLogCommand.Check.class})
public final class EventLogCommand {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addMixIn(SignatureEntry.class, SignatureEntryJson.class);

    static byte[] readBounded(Path file, int max, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IllegalArgumentException(what + " " + file + " is larger than " + max + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** sha256 when the log has it (stronger, and what stations quote), else SHA-1. */
    static HashAlgorithm preferredBank(EventLog log) {
        return log.banks().contains(HashAlgorithm.SHA256) || log.banks().isEmpty() ? HashAlgorithm.SHA256
                : log.banks().iterator().next();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * What {@code replay --json} prints: its fields in name order, as this command has always written them (its
     * mapper orders map entries by key).
     */
    record Replayed(BootState bootState, int events, String format, Map<String, SortedMap<String, String>> pcrs) {
    }

    @Command(name = "replay", description = "Print the log's format, events, replayed PCRs of every bank and boot state")
    static final class Replay implements Callable<Integer> {
        @Parameters(index = "0", description = "the binary event log")
        Path file;
        @Option(names = "--json", description = "exactly one JSON object")
        boolean json;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            EventLog log;
            try {
                log = EventLog.parse(readBounded(file, EventLogLimits.DEFAULT.maxLogBytes(), "event log"));
            } catch (MalformedEventLog e) {
                System.err.println("error: MalformedEventLog: " + e.getMessage());
                return 2;
            }
            ReplayedPcrs replayed = log.replay();
            Map<String, SortedMap<String, String>> pcrs = new TreeMap<>();
            for (HashAlgorithm bank : log.banks()) {
                SortedMap<String, String> values = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a),
                        Integer.parseInt(b)));
                replayed.touchedValues(bank).forEach((i, v) -> values.put(String.valueOf(i), HexFormat.of().formatHex(v)));
                pcrs.put(bank.name().toLowerCase(Locale.ROOT), values);
            }
            BootState state = BootState.claimedBy(log, preferredBank(log));
            if (json) {
                out.println(json(new Replayed(state, log.events().size(), log.format().label(), pcrs)));
                return 0;
            }
            out.println("format: " + log.format().label() + ", " + log.events().size() + " events, startup locality "
                    + log.startupLocality());
            pcrs.forEach((bank, values) -> values.forEach((i, v) -> out.println(bank + " PCR " + i + ": " + v)));
            BootStateText.print(out, state);
            return 0;
        }
    }

    @Command(name = "check", description = "Judge the log against a boot policy as the server would (the log is"
            + " taken to match the quote)")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", description = "the binary event log")
        Path file;
        @Option(names = "--policy", required = true, description = "the boot policy (JSON)")
        Path policyFile;
        @Option(names = "--json", description = "the verdict as one JSON object")
        boolean json;

        @Override
        public Integer call() {
            BootPolicy policy;
            try {
                policy = BootPolicy.parse(readBounded(policyFile, BootPolicy.MAX_BYTES, "boot policy"));
            } catch (BootPolicyInvalid e) {
                System.err.println("error: BootPolicyInvalid: " + e.getMessage());
                return 2;
            }
            byte[] bytes = readBounded(file, EventLogLimits.DEFAULT.maxLogBytes(), "event log");
            HashAlgorithm bank = HashAlgorithm.SHA256;
            SortedMap<Integer, byte[]> quoted = new TreeMap<>();
            try {
                EventLog log = EventLog.parse(bytes);
                bank = BootJudge.replayBank(log); // the bank the server judges this log in
                if (bank != HashAlgorithm.SHA256 && !policy.pins().isEmpty()) {
                    // the log has no SHA-256 digests, so there are no SHA-256 values to hold the pins against:
                    // refuse rather than print a verdict the server would not give
                    System.err.println("error: cannot judge pins against this log: " + BootJudge.pinsNeedSha256(
                            policy, bank) + ", and the log carries no SHA-256 digests (banks "
                            + log.banks().stream().map(HashAlgorithm::bankName).sorted().toList() + "); check it"
                            + " with a copy of the policy without pins");
                    return 2;
                }
                // no quote here: every PCR is taken to hold what the log replays to
                for (int pcr : policy.replayPcrs()) {
                    quoted.put(pcr, log.banks().contains(bank) ? log.replay().value(bank, pcr)
                            : ReplayedPcrs.initialValue(bank, pcr, 0));
                }
            } catch (MalformedEventLog e) {
                // the judge reports it as event_log_invalid, as the server would
            }
            BootVerdict verdict = BootJudge.judge(policy, Optional.of(bytes), bank, quoted, Optional.empty(),
                    new TreeMap<>());
            if (json) {
                System.out.println(json(VerdictView.of(verdict)));
            } else {
                System.out.println(verdict.result().wire() + verdict.rule().map(r -> " (rule " + r + ")").orElse("")
                        + verdict.event().map(e -> " at event #" + e).orElse("") + ": " + verdict.message());
                verdict.state().ifPresent(s -> BootStateText.print(System.out, s));
            }
            return verdict.result().passed() ? 0 : 1;
        }
    }
}
