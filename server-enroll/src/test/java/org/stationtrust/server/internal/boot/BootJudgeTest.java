package org.stationtrust.server.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.internal.boot.BootVerdict.Result;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuotedPcrs;

/** Each rule can fail on its own, with the rule and event named; routine updates pass as PASSED_CHANGED. */
class BootJudgeTest {
    private static final HashAlgorithm SHA256 = HashAlgorithm.SHA256;
    private static final HashAlgorithm SHA1 = HashAlgorithm.SHA1;

    private static BootVerdict judge(String policyJson, SyntheticEventLog log, Optional<BootSummary> last)
            throws Exception {
        return BootJudge.judge(BootPolicyTest.policy(policyJson), Optional.of(log.bytes()), SHA256,
                new TreeMap<>(log.pcrs(SHA256)), last, new TreeMap<>());
    }

    private static String fingerprint(byte[] der) {
        return "sha256:" + HexFormat.of().formatHex(SHA256.digest(der));
    }

    @Test
    void aTypicalSecureBootPassesTheDefaultPolicy() throws Exception {
        BootVerdict v = judge("{\"name\": \"default\"}", SyntheticBoot.typical().log(SHA256), Optional.empty());
        assertEquals(Result.PASSED, v.result(), v.message());
        assertTrue(v.state().isPresent());
        assertTrue(v.changes().isEmpty());
    }

    @Test
    void aFirmwareAndBootloaderUpdateWithTheSameAuthoritiesPassesAsChangedWithTheDifferenceListed() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        String policy = "{\"name\": \"fleet\", \"allowedBootAuthorities\": [\"" + fingerprint(boot.db().get(0)) + "\"]}";
        BootVerdict first = judge(policy, boot.log(SHA256), Optional.empty());
        assertEquals(Result.PASSED, first.result(), first.message());
        boot.firmware("StationBIOS 1.01", "firmware image 1.01".getBytes(StandardCharsets.US_ASCII))
                .bootApplication("\\EFI\\station\\bootx64.efi", "bootloader image v2".getBytes(StandardCharsets.US_ASCII))
                .addDb(SyntheticBoot.certificate("CN=Windows UEFI CA 2023,O=Microsoft Corporation,C=US"));
        BootVerdict second = judge(policy, boot.log(SHA256), first.summary());
        assertEquals(Result.PASSED_CHANGED, second.result(), second.message());
        String changes = String.join("\n", second.changes());
        assertTrue(changes.contains("firmware version: + StationBIOS 1.01"), changes);
        assertTrue(changes.contains("firmware version: - StationBIOS 1.00"), changes);
        assertTrue(changes.contains("db: + CN=Windows UEFI CA 2023,O=Microsoft Corporation,C=US"), changes);
        assertTrue(changes.contains("boot application: + \\EFI\\station\\bootx64.efi sha256 "
                + HexFormat.of().formatHex(SHA256.digest("bootloader image v2".getBytes(StandardCharsets.US_ASCII)))),
                changes);
        assertEquals(Result.PASSED, judge(policy, boot.log(SHA256), second.summary()).result());
    }

    @Test
    void secureBootOffFailsRequireSecureBoot() throws Exception {
        BootVerdict v = judge("{\"name\": \"p\"}", SyntheticBoot.typical().secureBoot(false).log(SHA256),
                Optional.empty());
        assertEquals(Result.PCR_POLICY_VIOLATION, v.result());
        assertEquals("requireSecureBoot", v.rule().orElseThrow());
        assertTrue(v.message().contains("OFF"), v.message());
        assertEquals(Result.PASSED, judge("{\"name\": \"p\", \"requireSecureBoot\": false}",
                SyntheticBoot.typical().secureBoot(false).log(SHA256), Optional.empty()).result());
    }

    @Test
    void aBootApplicationVerifiedByAForbiddenAuthorityFailsNamingItsEvent() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        boot.authority(boot.db().get(1));
        BootVerdict v = judge("{\"name\": \"p\", \"forbiddenAuthorities\": [\"CN=Other Vendor UEFI CA,O=Other Vendor\"]}",
                boot.log(SHA256), Optional.empty());
        assertEquals(Result.PCR_POLICY_VIOLATION, v.result());
        assertEquals("forbiddenAuthorities", v.rule().orElseThrow());
        assertEquals(v.state().orElseThrow().authorities().get(0).entry().event(), v.event().orElseThrow());
    }

    @Test
    void anAuthorityOutsideTheAllowedOnesFails() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        BootVerdict v = judge("{\"name\": \"p\", \"allowedBootAuthorities\": [\"" + fingerprint(boot.db().get(1)) + "\"]}",
                boot.log(SHA256), Optional.empty());
        assertEquals("allowedBootAuthorities", v.rule().orElseThrow());
        assertTrue(v.event().isPresent());
    }

    @Test
    void aDbxThatLacksARequiredRevocationFails() throws Exception {
        byte[] boothole = SHA256.digest("grub with boothole".getBytes(StandardCharsets.US_ASCII));
        String policy = "{\"name\": \"p\", \"requiredDbx\": [\"sha256:" + HexFormat.of().formatHex(boothole) + "\"]}";
        SyntheticBoot boot = SyntheticBoot.typical();
        BootVerdict v = judge(policy, boot.log(SHA256), Optional.empty());
        assertEquals(Result.PCR_POLICY_VIOLATION, v.result());
        assertEquals("requiredDbx", v.rule().orElseThrow());
        boot.dbx(List.of(boot.dbx().get(0), boothole));
        assertEquals(Result.PASSED, judge(policy, boot.log(SHA256), Optional.empty()).result());
    }

    @Test
    void aLogThatDoesNotReplayToTheQuoteIsInvalid() throws Exception {
        SyntheticEventLog log = SyntheticBoot.typical().log(SHA256);
        SortedMap<Integer, byte[]> quoted = new TreeMap<>(log.pcrs(SHA256));
        quoted.put(4, SHA256.digest(new byte[] {4}));
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(log.bytes()), SHA256,
                quoted, Optional.empty(), new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, v.result());
        assertEquals("replay", v.rule().orElseThrow());
        assertTrue(v.message().contains("PCR 4"), v.message());
        assertTrue(v.state().isEmpty());
    }

    @Test
    void bytesThatAreNotALogAreInvalid() throws Exception {
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(new byte[] {1, 2, 3}),
                SHA256, new TreeMap<>(), Optional.empty(), new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, v.result());
        assertEquals("parse", v.rule().orElseThrow());
    }

    @Test
    void noLogFailsUnlessThePolicyFallsBackToTheBaseline() throws Exception {
        SortedMap<Integer, byte[]> quoted = new TreeMap<>(SyntheticBoot.typical().log(SHA256).pcrs(SHA256));
        BootVerdict fail = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.empty(), SHA256, quoted,
                Optional.empty(), quoted);
        assertEquals(Result.NO_EVENT_LOG, fail.result());
        BootPolicy baseline = BootPolicyTest.policy("{\"name\": \"p\", \"onNoEventLog\": \"baseline\"}");
        assertEquals(Result.PASSED, BootJudge.judge(baseline, Optional.empty(), SHA256, quoted, Optional.empty(),
                quoted).result());
        SortedMap<Integer, byte[]> other = new TreeMap<>(quoted);
        other.put(0, new byte[32]);
        BootVerdict moved = BootJudge.judge(baseline, Optional.empty(), SHA256, quoted, Optional.empty(), other);
        assertEquals(Result.PCR_POLICY_VIOLATION, moved.result());
        assertEquals(Result.NO_EVENT_LOG, BootJudge.judge(baseline, Optional.empty(), SHA256, quoted, Optional.empty(),
                new TreeMap<>()).result());
    }

    @Test
    void pinsHoldPerFirmwareVersion() throws Exception {
        SyntheticEventLog log = SyntheticBoot.typical().log(SHA256);
        String pcr0 = HexFormat.of().formatHex(log.pcrs(SHA256).get(0));
        assertEquals(Result.PASSED, judge("{\"name\": \"p\", \"pins\": [{\"firmwareVersion\": \"StationBIOS 1.00\","
                + " \"pcrs\": {\"0\": \"" + pcr0 + "\"}}]}", log, Optional.empty()).result());
        BootVerdict otherVersion = judge("{\"name\": \"p\", \"pins\": [{\"firmwareVersion\": \"StationBIOS 2.00\","
                + " \"pcrs\": {\"0\": \"" + pcr0 + "\"}}]}", log, Optional.empty());
        assertEquals("pins", otherVersion.rule().orElseThrow());
    }

    @Test
    void pinsOfALogJudgedInSha1AloneFailClosedSayingTheyNeedTheSha256Bank() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        String pcr0 = HexFormat.of().formatHex(boot.log(SHA256).pcrs(SHA256).get(0));
        SyntheticEventLog sha1 = boot.sha1FormatLog();
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\", \"pins\": [{\"pcrs\": {\"0\": \""
                + pcr0 + "\"}}]}"), Optional.of(sha1.bytes()), SHA1, new TreeMap<>(sha1.pcrs(SHA1)), Optional.empty(),
                new TreeMap<>());
        assertEquals(Result.PCR_POLICY_VIOLATION, v.result(), v.message());
        assertEquals("pins", v.rule().orElseThrow());
        assertTrue(v.message().contains("pins SHA-256 PCR values, but only sha1 values are given"), v.message());
        // the server has the quote's SHA-256 bank beside SHA-1: there the same pins hold
        BootVerdict server = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\", \"pins\": [{\"pcrs\": {\"0\": \""
                + pcr0 + "\"}}]}"), Optional.of(sha1.bytes()), quoted(boot.log(SHA256), sha1), Optional.empty(),
                new TreeMap<>());
        assertEquals(Result.PASSED, server.result(), server.message());
        assertEquals(SHA1, server.state().orElseThrow().bank());
    }

    private static QuotedPcrs quoted(SyntheticEventLog sha256Boot, SyntheticEventLog sha1Boot) {
        return QuotedPcrs.of(PcrValues.sha256(sha256Boot.pcrs(SHA256)), PcrValues.sha1(sha1Boot.pcrs(SHA1)));
    }

    @Test
    void aSha1FormatLogIsJudgedInTheSha1BankOfAQuoteThatCoversItBesideSha256() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog log = boot.sha1FormatLog();
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(log.bytes()),
                quoted(boot.log(SHA256), log), Optional.empty(), new TreeMap<>());
        assertEquals(Result.PASSED, v.result(), v.message());
        assertEquals(SHA1, v.state().orElseThrow().bank());
    }

    @Test
    void aSha1FormatLogWithOneEventChangedIsInvalidInTheSha1Bank() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog measured = boot.sha1FormatLog();
        SyntheticEventLog told = SyntheticEventLog.sha1Format();
        List<SyntheticEventLog.Extend> events = measured.events();
        for (int i = 0; i < events.size(); i++) {
            SyntheticEventLog.Extend e = events.get(i);
            told.raw(e.pcr(), e.type(), i == 0 ? java.util.Map.of(SHA1, SHA1.digest(new byte[] {9})) : e.digests(),
                    e.data());
        }
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(told.bytes()),
                quoted(boot.log(SHA256), measured), Optional.empty(), new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, v.result(), v.message());
        assertEquals("replay", v.rule().orElseThrow());
        assertTrue(v.message().contains("SHA1 PCR 0"), v.message());
    }

    @Test
    void aSha1OnlyLogAgainstAQuoteOfTheSha256BankAloneIsInvalidAndSaysWhichBankToQuote() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"),
                Optional.of(boot.sha1FormatLog().bytes()), QuotedPcrs.of(PcrValues.sha256(boot.log(SHA256).pcrs(SHA256))),
                Optional.empty(), new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, v.result());
        assertTrue(v.message().contains("quote of sha1"), v.message());
    }

    @Test
    void aLogCarryingSha256IsNeverJudgedInTheSha1BankEvenWhenOnlySha1Replays() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog both = boot.log(SHA1, SHA256);
        // the SHA-1 values replay; the SHA-256 ones were extended behind the log's back
        SortedMap<Integer, byte[]> sha256 = new TreeMap<>(both.pcrs(SHA256));
        sha256.put(4, SHA256.digest(new byte[] {4}));
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(both.bytes()),
                QuotedPcrs.of(PcrValues.sha256(sha256), PcrValues.sha1(both.pcrs(SHA1))), Optional.empty(),
                new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, v.result(), v.message());
        assertTrue(v.message().contains("SHA256 PCR 4"), v.message());
        BootVerdict sha1Only = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(both.bytes()),
                QuotedPcrs.of(PcrValues.sha1(both.pcrs(SHA1))), Optional.empty(), new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, sha1Only.result(), "a quote of the weaker bank alone: " + sha1Only.message());
    }

    @Test
    void oneEventAddedWithoutItsSha256DigestDoesNotMoveTheJudgementToTheSha1Bank() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog both = boot.log(SHA1, SHA256);
        QuotedPcrs quoted = QuotedPcrs.of(PcrValues.sha256(both.pcrs(SHA256)), PcrValues.sha1(both.pcrs(SHA1)));
        // an event of a PCR nobody replays, carrying SHA-1 alone: the SHA-256 bank is no longer complete
        both.raw(16, org.stationtrust.tpm.eventlog.EventType.EV_EFI_ACTION, java.util.Map.of(SHA1,
                SHA1.digest(new byte[] {1})), new byte[] {1});
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(both.bytes()),
                quoted, Optional.empty(), new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, v.result(), v.message());
        assertTrue(v.message().contains("carry SHA256 digests, but not all of them"), v.message());
    }

    @Test
    void aSha1LogForAMachineWhoseLastAcceptedBootWasJudgedInSha256IsInvalid() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        BootVerdict first = judge("{\"name\": \"p\"}", boot.log(SHA256), Optional.empty());
        assertEquals("SHA256", first.summary().orElseThrow().bank());
        SyntheticEventLog sha1 = boot.sha1FormatLog();
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(sha1.bytes()),
                quoted(boot.log(SHA256), sha1), first.summary(), new TreeMap<>());
        assertEquals(Result.EVENT_LOG_INVALID, v.result(), v.message());
        assertTrue(v.message().contains("never judged in a weaker bank"), v.message());
        // the same log for a machine whose accepted boots were SHA-1 ones still passes
        BootVerdict sha1First = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(sha1.bytes()),
                quoted(boot.log(SHA256), sha1), Optional.empty(), new TreeMap<>());
        assertEquals(Result.PASSED, sha1First.result(), sha1First.message());
        BootVerdict again = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(sha1.bytes()),
                quoted(boot.log(SHA256), sha1), sha1First.summary(), new TreeMap<>());
        assertEquals(Result.PASSED, again.result(), again.message());
    }

    @Test
    void aSeparatorThatReportsAMeasurementErrorFailsTheBootNamingItsPcrAndEvent() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog log = SyntheticEventLog.cryptoAgile(SHA256);
        for (SyntheticEventLog.Extend e : boot.log(SHA256).events()) {
            boolean pcr7Separator = e.pcr() == 7 && e.type() == org.stationtrust.tpm.eventlog.EventType.EV_SEPARATOR;
            if (pcr7Separator) {
                log.event(7, e.type(), new byte[] {1, 0, 0, 0});
            } else {
                log.raw(e.pcr(), e.type(), e.digests(), e.data());
            }
        }
        BootVerdict v = judge("{\"name\": \"p\"}", log, Optional.empty());
        assertEquals(Result.EVENT_LOG_INVALID, v.result(), v.message());
        assertEquals("separator", v.rule().orElseThrow());
        assertTrue(v.message().contains("PCR 7"), v.message());
    }

    @Test
    void theFirmwareDebuggerFailsForbidDebugWhichIsOnByDefault() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog log = SyntheticEventLog.cryptoAgile(SHA256);
        log.event(7, org.stationtrust.tpm.eventlog.EventType.EV_EFI_ACTION,
                "UEFI Debug Mode".getBytes(StandardCharsets.US_ASCII));
        boot.log(SHA256).events().forEach(e -> log.raw(e.pcr(), e.type(), e.digests(), e.data()));
        BootVerdict v = judge("{\"name\": \"p\"}", log, Optional.empty());
        assertEquals(Result.PCR_POLICY_VIOLATION, v.result(), v.message());
        assertEquals("forbidDebug", v.rule().orElseThrow());
        assertTrue(v.message().contains("FIRMWARE_DEBUGGER"), v.message());
        assertEquals(Result.PASSED, judge("{\"name\": \"p\", \"forbidDebug\": false}", log, Optional.empty())
                .result());
    }

    @Test
    void aDbHashAuthorityRelabelledAsAnActionIsStillJudgedAgainstTheAllowedAuthorities() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        byte[] image = SHA256.digest("custom grub".getBytes(StandardCharsets.US_ASCII));
        byte[] entry = new byte[16 + image.length];
        System.arraycopy(SyntheticEventLog.guid(SyntheticBoot.OWNER), 0, entry, 0, 16);
        System.arraycopy(image, 0, entry, 16, image.length);
        SyntheticEventLog log = boot.log(SHA256);
        log.variable(7, org.stationtrust.tpm.eventlog.EventType.EV_EFI_ACTION, SyntheticEventLog.EFI_IMAGE_SECURITY_DATABASE,
                "db", entry);
        String policy = "{\"name\": \"fleet\", \"allowedBootAuthorities\": [\"" + fingerprint(boot.db().get(0)) + "\"]}";
        BootVerdict v = judge(policy, log, Optional.empty());
        assertEquals(Result.PCR_POLICY_VIOLATION, v.result(), v.message());
        assertEquals("allowedBootAuthorities", v.rule().orElseThrow());
        assertTrue(v.message().contains(HexFormat.of().formatHex(image)), v.message());
    }
}
