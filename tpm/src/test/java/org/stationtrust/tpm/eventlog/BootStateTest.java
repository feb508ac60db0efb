package org.stationtrust.tpm.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** The boot state comes from trusted events only, whatever their (unsigned) type says. */
class BootStateTest {
    private static final HashAlgorithm SHA256 = HashAlgorithm.SHA256;
    private static final SortedSet<Integer> PCRS_0_TO_7 = new TreeSet<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));

    private static BootState stateOf(SyntheticEventLog s) throws Exception {
        return BootState.of(EventLogReplay.verify(EventLog.parse(s.bytes()), SHA256, s.pcrs(SHA256), PCRS_0_TO_7,
                false));
    }

    private static String sha256(byte[] der) {
        return HexFormat.of().formatHex(SHA256.digest(der));
    }

    @Test
    void aTypicalBootShowsSecureBootItsDatabasesAuthorityApplicationAndFirmware() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        BootState s = stateOf(boot.log(HashAlgorithm.SHA1, SHA256));
        assertEquals(SecureBoot.ON, s.secureBoot());
        assertEquals(sha256(boot.platformKey()), s.pk().get(0).sha256());
        assertEquals("CN=Station KEK CA,O=Station Trust Test", s.kek().get(0).subject());
        assertEquals(2, s.db().size());
        assertEquals(HexFormat.of().formatHex(boot.dbx().get(0)), s.dbx().get(0).sha256());
        assertEquals(SignatureEntry.Kind.SHA256, s.dbx().get(0).kind());
        assertEquals(1, s.authorities().size());
        assertEquals("db", s.authorities().get(0).source());
        assertEquals("CN=Station UEFI CA 2023,O=Station Trust Test", s.authorities().get(0).entry().subject());
        assertEquals(sha256(boot.db().get(0)), s.authorities().get(0).entry().sha256());
        assertEquals(1, s.bootApplications().size());
        assertEquals(sha256(boot.bootApplication()), s.bootApplications().get(0).digest());
        assertEquals("\\EFI\\station\\bootx64.efi", s.bootApplications().get(0).path());
        assertEquals(List.of("StationBIOS 1.00"), s.firmwareVersions());
        assertEquals(List.of(sha256(boot.firmwareImage())), s.firmwareBlobs());
        assertEquals(8, s.separators().size());
        assertTrue(s.exitBootServices());
        assertTrue(s.notes().isEmpty(), s.notes().toString());
    }

    @Test
    void bothBootVariableDigestConventionsAreAcceptedAndNamed() throws Exception {
        BootState s = stateOf(SyntheticBoot.typical().log(SHA256));
        assertEquals(2, s.bootVariables().size());
        assertEquals("BootOrder", s.bootVariables().get(0).name());
        assertEquals(BootVariable.Convention.WHOLE_STRUCTURE, s.bootVariables().get(0).convention());
        assertEquals("Boot0001", s.bootVariables().get(1).name());
        assertEquals(BootVariable.Convention.DATA_ONLY, s.bootVariables().get(1).convention());
    }

    @Test
    void secureBootOffIsReadAsOff() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        boot.secureBoot(false);
        assertEquals(SecureBoot.OFF, stateOf(boot.log(SHA256)).secureBoot());
    }

    @Test
    void anEventWhoseDigestIsNotTheHashOfItsDataSaysNothing() throws Exception {
        SyntheticEventLog s = SyntheticEventLog.cryptoAgile(SHA256);
        // the digest of SecureBoot=0 with the data of SecureBoot=1: the data is a lie
        byte[] off = SyntheticEventLog.variableData(SyntheticEventLog.EFI_GLOBAL_VARIABLE, "SecureBoot", new byte[] {0});
        byte[] on = SyntheticEventLog.variableData(SyntheticEventLog.EFI_GLOBAL_VARIABLE, "SecureBoot", new byte[] {1});
        s.raw(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, Map.of(SHA256, SHA256.digest(off)), on);
        s.separators(0, 1, 2, 3, 4, 5, 6, 7);
        BootState state = stateOf(s);
        assertEquals(SecureBoot.NOT_MEASURED, state.secureBoot());
        assertTrue(state.notes().get(0).contains("not the hash of its data"), state.notes().toString());
    }

    @Test
    void aSecureBootVariableMeasuredAfterTheSeparatorByTheOsIsIgnored() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        boot.secureBoot(false);
        SyntheticEventLog s = boot.log(SHA256);
        s.variable(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, SyntheticEventLog.EFI_GLOBAL_VARIABLE, "SecureBoot",
                new byte[] {1});
        BootState state = stateOf(s);
        assertEquals(SecureBoot.OFF, state.secureBoot());
    }

    @Test
    void relabellingTheSecureBootEventsTypeDoesNotHideIt() throws Exception {
        SyntheticEventLog s = SyntheticEventLog.cryptoAgile(SHA256);
        s.variable(7, EventType.EV_EFI_ACTION, SyntheticEventLog.EFI_GLOBAL_VARIABLE, "SecureBoot", new byte[] {0});
        s.separators(0, 1, 2, 3, 4, 5, 6, 7);
        s.variable(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, SyntheticEventLog.EFI_GLOBAL_VARIABLE, "SecureBoot",
                new byte[] {1});
        assertEquals(SecureBoot.OFF, stateOf(s).secureBoot());
    }

    @Test
    void aRelabelledAuthorityCertificateIsStillAnAuthority() throws Exception {
        SyntheticEventLog s = SyntheticEventLog.cryptoAgile(SHA256);
        s.separators(0, 1, 2, 3, 4, 5, 6, 7);
        byte[] cert = SyntheticBoot.certificate("CN=Forbidden CA");
        s.variable(7, EventType.EV_EFI_ACTION, SyntheticEventLog.EFI_IMAGE_SECURITY_DATABASE, "db",
                SyntheticEventLog.signatureData(SyntheticBoot.OWNER, cert));
        BootState state = stateOf(s);
        assertEquals("CN=Forbidden CA", state.authorities().get(0).entry().subject());
    }

    @Test
    void aHashAuthorityOfDbIsStillAnAuthorityWhenItsTypeIsRelabelled() throws Exception {
        byte[] image = SHA256.digest("a loader allowed by its hash in db".getBytes(StandardCharsets.US_ASCII));
        byte[] entry = new byte[16 + image.length];
        System.arraycopy(SyntheticEventLog.guid(SyntheticBoot.OWNER), 0, entry, 0, 16);
        System.arraycopy(image, 0, entry, 16, image.length);
        for (long type : new long[] {EventType.EV_EFI_VARIABLE_AUTHORITY, EventType.EV_EFI_ACTION}) {
            SyntheticEventLog s = SyntheticEventLog.cryptoAgile(SHA256);
            s.separators(0, 1, 2, 3, 4, 5, 6, 7);
            s.variable(7, type, SyntheticEventLog.EFI_IMAGE_SECURITY_DATABASE, "db", entry);
            BootState state = stateOf(s);
            assertEquals(1, state.authorities().size(), "type 0x" + Long.toHexString(type) + ": " + state.notes());
            assertEquals(HexFormat.of().formatHex(image), state.authorities().get(0).entry().sha256());
        }
    }

    @Test
    void aVariableOtherThanTheAuthorityStoresIsAnAuthorityOnlyWhenTypedOne() throws Exception {
        SyntheticEventLog s = SyntheticEventLog.cryptoAgile(SHA256);
        s.separators(0, 1, 2, 3, 4, 5, 6, 7);
        s.variable(7, EventType.EV_EFI_ACTION, "605dab50-e046-4300-abb6-3dd810dd8b23", "SbatLevel",
                "sbat,1,2021030218\n".getBytes(StandardCharsets.US_ASCII));
        BootState state = stateOf(s);
        assertTrue(state.authorities().isEmpty(), state.authorities().toString());
        assertTrue(state.notes().get(0).contains("SbatLevel after the separator (not an authority)"), state.notes().get(0));
    }

    @Test
    void theFirmwareDebuggerAnnouncedInPcr7IsADebugFlagWhateverItsType() throws Exception {
        for (long type : new long[] {EventType.EV_EFI_ACTION, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG}) {
            SyntheticBoot boot = SyntheticBoot.typical();
            SyntheticEventLog s = SyntheticEventLog.cryptoAgile(SHA256);
            s.event(7, type, "UEFI Debug Mode".getBytes(StandardCharsets.US_ASCII));
            boot.log(SHA256).events().forEach(e -> s.raw(e.pcr(), e.type(), e.digests(), e.data()));
            BootState state = stateOf(s);
            assertEquals(java.util.Set.of(DebugFlag.FIRMWARE_DEBUGGER), state.debugFlags(), state.notes().toString());
        }
        assertTrue(stateOf(SyntheticBoot.typical().log(SHA256)).debugFlags().isEmpty());
    }

    @Test
    void fillerAfterTheLastEventIsNotReadAsEventsAndIsNoted() throws Exception {
        SyntheticEventLog s = SyntheticBoot.typical().log(SHA256);
        for (byte filler : new byte[] {0, (byte) 0xff}) {
            byte[] log = java.util.Arrays.copyOf(s.bytes(), s.bytes().length + 4096);
            java.util.Arrays.fill(log, s.bytes().length, log.length, filler);
            EventLog parsed = EventLog.parse(log);
            assertEquals(EventLog.parse(s.bytes()).events().size(), parsed.events().size());
            assertEquals(4096, parsed.padding());
            BootState state = BootState.of(EventLogReplay.verify(parsed, SHA256, s.pcrs(SHA256), PCRS_0_TO_7, false));
            assertTrue(state.notes().contains("4096 bytes of filler after the last event (the unused end of the"
                    + " firmware's log area): not events"), state.notes().toString());
        }
    }

    @Test
    void aSha1FormatLogFollowedByZerosGetsNoPcr0EventsFromThem() throws Exception {
        SyntheticEventLog s = SyntheticBoot.typical().sha1FormatLog();
        byte[] log = java.util.Arrays.copyOf(s.bytes(), s.bytes().length + 64);
        EventLog parsed = EventLog.parse(log);
        assertEquals(EventLog.parse(s.bytes()).events().size(), parsed.events().size());
        EventLogReplay.verify(parsed, HashAlgorithm.SHA1, s.pcrs(HashAlgorithm.SHA1), PCRS_0_TO_7, false);
    }

    @Test
    void aBankSomeEventsLackIsPartialAndCannotBeReplayed() throws Exception {
        SyntheticEventLog s = SyntheticBoot.typical().log(HashAlgorithm.SHA1, SHA256);
        java.util.SortedMap<Integer, byte[]> quoted = s.pcrs(SHA256);
        s.raw(16, EventType.EV_EFI_ACTION, Map.of(HashAlgorithm.SHA1, HashAlgorithm.SHA1.digest(new byte[] {1})),
                new byte[] {1});
        EventLog parsed = EventLog.parse(s.bytes());
        assertEquals(java.util.Set.of(HashAlgorithm.SHA1), parsed.banks());
        assertEquals(java.util.Set.of(SHA256), parsed.partialBanks());
        EventLogMismatch e = org.junit.jupiter.api.Assertions.assertThrows(EventLogMismatch.class,
                () -> EventLogReplay.verify(parsed, SHA256, quoted, PCRS_0_TO_7, false));
        assertTrue(e.getMessage().contains("carry SHA256 digests, but not all of them"), e.getMessage());
    }

    @Test
    void eventsOfPcrsThatWereNotVerifiedAreNotRead() throws Exception {
        SyntheticEventLog s = SyntheticBoot.typical().log(SHA256);
        BootState state = BootState.of(EventLogReplay.verify(EventLog.parse(s.bytes()), SHA256, s.pcrs(SHA256),
                new TreeSet<>(List.of(0, 1, 2, 3, 4, 5, 6)), false));
        assertEquals(SecureBoot.NOT_MEASURED, state.secureBoot());
        assertTrue(state.db().isEmpty());
        assertTrue(state.authorities().isEmpty());
    }

    @Test
    void realLogsShowTheirSecureBootStateAndDatabases() throws Exception {
        BootState noSecureBoot = claimed("go-eventlog/ubuntu-2104-no-secure-boot.bin");
        assertEquals(SecureBoot.OFF, noSecureBoot.secureBoot());
        BootState noDbx = claimed("go-eventlog/ubuntu-2104-no-dbx.bin");
        assertTrue(noDbx.dbx().isEmpty());
        BootState rhel = claimed("go-eventlog/rhel8-uefi.bin");
        assertEquals(SecureBoot.ON, rhel.secureBoot());
        assertFalse(rhel.dbx().isEmpty());
        assertTrue(rhel.db().stream().anyMatch(e -> e.subject().contains("Microsoft")), rhel.db().toString());
        assertFalse(rhel.authorities().isEmpty());
        assertFalse(rhel.bootApplications().isEmpty());
        BootState ebsMissing = claimed("go-attestation/ebs_event_missing_eventlog");
        assertFalse(ebsMissing.exitBootServices());
        assertTrue(claimed("go-eventlog/rhel8-uefi.bin").exitBootServices());
    }

    private static BootState claimed(String name) throws Exception {
        EventLog log = EventLog.parse(RealEventLogs.read(name));
        HashAlgorithm bank = log.banks().contains(SHA256) ? SHA256 : HashAlgorithm.SHA1;
        return BootState.claimedBy(log, bank);
    }

    @Test
    void windowsDebugAndTestSigningSwitchesAreRead() throws Exception {
        // SIPA: an aggregation (0x40010001, trust boundary) holding BOOTDEBUGGING=1 and TESTSIGNING=1
        byte[] inner = java.nio.ByteBuffer.allocate(18).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(0x00040001).putInt(1).put((byte) 1).putInt(0x00050003).putInt(1).put((byte) 1).array();
        byte[] outer = java.nio.ByteBuffer.allocate(8 + inner.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(0x40010001).putInt(inner.length).put(inner).array();
        SyntheticEventLog s = SyntheticEventLog.cryptoAgile(SHA256);
        s.event(12, EventType.EV_EVENT_TAG, outer);
        s.event(12, EventType.EV_SEPARATOR, "WBCL".getBytes(StandardCharsets.US_ASCII));
        BootState state = BootState.of(EventLogReplay.verify(EventLog.parse(s.bytes()), SHA256, s.pcrs(SHA256),
                new TreeSet<>(List.of(12)), false));
        assertEquals(java.util.Set.of(DebugFlag.BOOT_DEBUGGING, DebugFlag.TEST_SIGNING), state.debugFlags());
    }
}
