package org.stationtrust.tpm.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** Each malformed input fails with MalformedEventLog naming the offset; nothing else escapes. */
class EventLogParsingTest {
    private static final int SPEC_ID_END = 32 + 16 + 4 + 4 + 4 + 2 * 4 + 1; // sha1 + sha256 header

    private static byte[] twoEventLog() {
        return SyntheticEventLog.cryptoAgile(HashAlgorithm.SHA1, HashAlgorithm.SHA256)
                .separators(0, 1).bytes();
    }

    private static MalformedEventLog refused(byte[] log) {
        return assertThrows(MalformedEventLog.class, () -> EventLog.parse(log));
    }

    @Test
    void aCryptoAgileLogParsesWithItsBanksFromTheSpecIdEvent() throws Exception {
        EventLog log = EventLog.parse(twoEventLog());
        assertEquals(EventLogFormat.CRYPTO_AGILE, log.format());
        assertEquals(3, log.events().size());
        assertEquals(java.util.Set.of(HashAlgorithm.SHA1, HashAlgorithm.SHA256), log.banks());
        assertEquals(SPEC_ID_END, log.events().get(1).offset());
    }

    @Test
    void aSha1FormatLogWrittenAsOlderFirmwareDoesParsesAndReplaysInTheSha1BankAndIsQuotedBesideSha256()
            throws Exception {
        SyntheticEventLog written = org.stationtrust.tpm.simulator.SyntheticBoot.typical().sha1FormatLog();
        EventLog log = EventLog.parse(written.bytes());
        assertEquals(EventLogFormat.SHA1, log.format());
        assertEquals(java.util.Set.of(HashAlgorithm.SHA1), log.banks());
        assertEquals(written.events().size(), log.events().size());
        written.pcrs(HashAlgorithm.SHA1).forEach((pcr, value) -> assertTrue(Arrays.equals(value,
                log.replay().value(HashAlgorithm.SHA1, pcr)), "SHA-1 PCR " + pcr));
        assertEquals(org.stationtrust.tpm.PcrBanks.SHA256_AND_SHA1, org.stationtrust.tpm.PcrBanks.forEventLog(log));
        assertEquals(BootState.of(EventLogReplay.verify(log, HashAlgorithm.SHA1, written.pcrs(HashAlgorithm.SHA1),
                new java.util.TreeSet<>(java.util.List.of(0, 1, 4, 5, 7)), false)).secureBoot(), SecureBoot.ON);
    }

    @Test
    void theQuotedBanksFollowTheLogsStrongestBank() throws Exception {
        var boot = org.stationtrust.tpm.simulator.SyntheticBoot.typical();
        assertEquals(org.stationtrust.tpm.PcrBanks.SHA256_AND_SHA1, org.stationtrust.tpm.PcrBanks.forEventLog(
                java.util.Optional.of(boot.log(HashAlgorithm.SHA1).bytes())), "crypto-agile, SHA-1 bank only");
        assertEquals(org.stationtrust.tpm.PcrBanks.SHA256, org.stationtrust.tpm.PcrBanks.forEventLog(
                java.util.Optional.of(boot.log(HashAlgorithm.SHA1, HashAlgorithm.SHA256).bytes())), "both banks");
        assertEquals(org.stationtrust.tpm.PcrBanks.SHA256, org.stationtrust.tpm.PcrBanks.forEventLog(
                java.util.Optional.empty()), "no log");
        assertEquals(org.stationtrust.tpm.PcrBanks.SHA256, org.stationtrust.tpm.PcrBanks.forEventLog(
                java.util.Optional.of(new byte[] {1, 2, 3})), "a log that does not parse: the server judges it");
    }

    @Test
    void aSha1FormatEventNeedsExactlyOneSha1Digest() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticEventLog.sha1Format().raw(0, EventType.EV_SEPARATOR,
                java.util.Map.of(HashAlgorithm.SHA256, new byte[32]), new byte[4]));
    }

    @Test
    void anEmptyLogIsRefused() {
        assertEquals(0, refused(new byte[0]).offset());
    }

    @Test
    void aLogOverTheSizeLimitIsRefusedBeforeParsing() {
        byte[] log = twoEventLog();
        MalformedEventLog e = assertThrows(MalformedEventLog.class,
                () -> EventLog.parse(log, new EventLogLimits(log.length - 1, 10, 100, 2)));
        assertTrue(e.getMessage().contains("at most " + (log.length - 1) + " bytes"), e.getMessage());
    }

    @Test
    void everyTruncationIsRefusedAtAnOffsetInsideTheLogUnlessWhatIsLeftOfTheRecordIsFiller() throws Exception {
        byte[] log = twoEventLog();
        int second = SPEC_ID_END + 4 + 4 + 4 + 2 + 20 + 2 + 32 + 4 + 4;
        int fillerCuts = 0;
        for (int cut = 1; cut < log.length; cut++) {
            if (cut == SPEC_ID_END || cut == second) {
                continue; // a cut between two events leaves a shorter, valid log
            }
            int recordStart = cut > second ? second : cut > SPEC_ID_END ? SPEC_ID_END : 0;
            boolean zeros = recordStart > 0 && java.util.stream.IntStream.range(recordStart, cut).allMatch(i -> log[i] == 0);
            if (zeros) {
                // the start of the next record, its PCR index 0, is all zero bytes: read as the log area's unused end
                EventLog parsed = EventLog.parse(Arrays.copyOf(log, cut));
                assertEquals(cut - recordStart, parsed.padding(), "cut " + cut);
                fillerCuts++;
                continue;
            }
            MalformedEventLog e = refused(Arrays.copyOf(log, cut));
            assertTrue(e.offset() >= 0 && e.offset() <= cut, cut + ": " + e.getMessage());
        }
        assertEquals(4, fillerCuts, "the first record's PCR index 0 is four zero bytes");
    }

    @Test
    void anEventLargerThanTheLimitIsRefusedWithoutAllocatingIt() {
        byte[] log = twoEventLog();
        ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN).putInt(SPEC_ID_END + 12 + 2 + 20 + 2 + 32, 0x7fffffff);
        MalformedEventLog e = refused(log);
        assertEquals(SPEC_ID_END + 12 + 2 + 20 + 2 + 32, e.offset());
        assertTrue(e.getMessage().contains("eventSize"), e.getMessage());
    }

    @Test
    void aDigestOfABankTheHeaderDoesNotDeclareIsRefused() {
        byte[] log = twoEventLog();
        ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN).putShort(SPEC_ID_END + 12, (short) 0x000c); // SHA-384
        MalformedEventLog e = refused(log);
        assertEquals(SPEC_ID_END + 12, e.offset());
    }

    @Test
    void moreDigestsThanTheHeaderDeclaresAreRefused() {
        byte[] log = twoEventLog();
        ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN).putInt(SPEC_ID_END + 8, 3);
        assertEquals(SPEC_ID_END + 8, refused(log).offset());
    }

    @Test
    void aHeaderGivingAKnownBankTheWrongDigestSizeIsRefused() {
        byte[] log = twoEventLog();
        ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN).putShort(32 + 16 + 4 + 4 + 4 + 4 + 2, (short) 31);
        MalformedEventLog e = refused(log);
        assertTrue(e.getMessage().contains("SHA256 digests of 32 bytes"), e.getMessage());
    }

    @Test
    void aBankOfUnknownAlgorithmIsCarriedWithTheHeadersSizeButNotReplayed() throws Exception {
        byte[] log = twoEventLog();
        ByteBuffer b = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(32 + 16 + 4 + 4 + 4, (short) 0x0012); // SM3_256, 20 bytes here instead of SHA-1
        b.putShort(SPEC_ID_END + 12, (short) 0x0012);
        b.putShort(SPEC_ID_END + 12 + 2 + 20 + 2 + 32 + 4 + 4 + 12, (short) 0x0012);
        EventLog parsed = assertDoesNotThrowParse(log);
        assertEquals(java.util.Set.of(HashAlgorithm.SHA256), parsed.banks());
    }

    private static EventLog assertDoesNotThrowParse(byte[] log) throws MalformedEventLog {
        return EventLog.parse(log);
    }

    @Test
    void aPcrIndexAbove23IsRefused() {
        byte[] log = twoEventLog();
        ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN).putInt(SPEC_ID_END, 24);
        assertEquals(SPEC_ID_END, refused(log).offset());
    }

    @Test
    void pcrMinusOneIsAcceptedOnlyForEventsThatExtendNothing() {
        byte[] log = twoEventLog();
        ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN).putInt(SPEC_ID_END, -1);
        assertEquals(SPEC_ID_END, refused(log).offset());
    }

    @Test
    void tooManyEventsAreRefused() {
        MalformedEventLog e = assertThrows(MalformedEventLog.class,
                () -> EventLog.parse(twoEventLog(), new EventLogLimits(1 << 20, 2, 1024, 2)));
        assertTrue(e.getMessage().contains("at most 2 events"), e.getMessage());
    }

    @Test
    void aStartupLocalityAfterAPcr0MeasurementIsRefused() {
        SyntheticEventLog s = SyntheticEventLog.cryptoAgile(HashAlgorithm.SHA256).separators(0);
        byte[] locality = new byte[17];
        System.arraycopy("StartupLocality\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, locality, 0, 16);
        locality[16] = 3;
        s.raw(0, EventType.EV_NO_ACTION, java.util.Map.of(HashAlgorithm.SHA256, new byte[32]), locality);
        MalformedEventLog e = refused(s.bytes());
        assertTrue(e.getMessage().contains("before any PCR 0 measurement"), e.getMessage());
    }

    @Test
    void aLocalityThreeStartSetsPcr0sResetValue() throws Exception {
        SyntheticEventLog s = SyntheticEventLog.cryptoAgile(HashAlgorithm.SHA256).startupLocality(3).separators(0);
        EventLog log = EventLog.parse(s.bytes());
        assertEquals(3, log.startupLocality());
        assertTrue(Arrays.equals(s.pcrs(HashAlgorithm.SHA256).get(0), log.replay().value(HashAlgorithm.SHA256, 0)));
    }

    @Test
    void randomBytesAndEveryByteFlipOfARealLogEndInALogOrATypedError() {
        byte[] real = RealEventLogs.read("tpm2-tools/event-sd-boot-fedora37.bin");
        java.util.Random random = new java.util.Random(15);
        for (int i = 0; i < real.length; i++) {
            byte[] mutated = real.clone();
            mutated[i] ^= (byte) (1 + random.nextInt(255));
            EventLogFuzzTest.exercise(mutated);
        }
        for (int i = 0; i < 2000; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            EventLogFuzzTest.exercise(noise);
        }
    }
}
