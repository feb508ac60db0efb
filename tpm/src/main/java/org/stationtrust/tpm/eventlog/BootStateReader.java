package org.stationtrust.tpm.eventlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import org.stationtrust.tpm.eventlog.internal.Certificates;
import org.stationtrust.tpm.eventlog.internal.DevicePaths;
import org.stationtrust.tpm.eventlog.internal.SignatureLists;
import org.stationtrust.tpm.eventlog.internal.SipaEvents;
import org.stationtrust.tpm.eventlog.internal.UefiVariable;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** Reads {@link BootState} out of the events of the trusted PCRs (PC Client PFP §3.3.4, §10.4). */
final class BootStateReader {
    private static final int SECURE_BOOT_PCR = 7;
    private static final int BOOT_APPLICATION_PCR = 4;
    private static final int BOOT_VARIABLE_PCR = 1;
    private static final int EBS_PCR = 5;
    private static final byte[] WBCL = "WBCL".getBytes(StandardCharsets.US_ASCII);
    /** PC Client PFP: the EV_EFI_ACTION string firmware measures into PCR 7 when its debugger may be used. */
    private static final byte[] UEFI_DEBUG_MODE = "UEFI Debug Mode".getBytes(StandardCharsets.US_ASCII);

    private final HashAlgorithm bank;
    private final java.security.MessageDigest md;
    private final int maxNesting;
    private MeasuredEvent trustedEvent;
    private boolean trustedValue;
    private SecureBoot secureBoot = SecureBoot.NOT_MEASURED;
    private final List<List<SignatureEntry>> databases = new ArrayList<>(List.of(
            new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
    private final boolean[] databaseSeen = new boolean[4];
    private final List<BootAuthority> authorities = new ArrayList<>();
    private final List<BootApplication> applications = new ArrayList<>();
    private final List<String> versions = new ArrayList<>();
    private final List<String> blobs = new ArrayList<>();
    private final List<BootVariable> variables = new ArrayList<>();
    private final List<Separator> separators = new ArrayList<>();
    private final Set<DebugFlag> debug = EnumSet.noneOf(DebugFlag.class);
    private final List<String> notes = new ArrayList<>();
    private boolean secureBootSeen;
    private boolean pcr7Separated;
    private boolean exitBootServices;

    private BootStateReader(HashAlgorithm bank, int maxNesting) {
        this.bank = bank;
        this.md = bank.newDigest();
        this.maxNesting = maxNesting;
    }

    static BootState read(EventLog log, HashAlgorithm bank, SortedSet<Integer> pcrs, boolean ebsTolerated,
            int maxNesting) {
        BootStateReader r = new BootStateReader(bank, maxNesting);
        boolean[] read = new boolean[ReplayedPcrs.PCR_COUNT];
        for (int pcr : pcrs) {
            if (pcr >= 0 && pcr < read.length) {
                read[pcr] = true;
            }
        }
        for (MeasuredEvent e : log.events()) {
            if (e.type() != EventType.EV_NO_ACTION && e.pcr() >= 0 && read[e.pcr()]) {
                r.event(e);
            }
        }
        if (log.padding() > 0) {
            r.notes.add(log.padding() + " bytes of filler after the last event (the unused end of the firmware's log"
                    + " area): not events");
        }
        if (ebsTolerated) {
            r.notes.add("PCR 5: the firmware extended the Exit Boot Services actions without logging them;"
                    + " tolerated by the policy");
        }
        return new BootState(bank, pcrs, r.secureBoot, r.databases.get(0), r.databases.get(1), r.databases.get(2),
                r.databases.get(3), r.authorities, r.applications, r.versions, r.blobs, r.variables, r.separators,
                r.exitBootServices, ebsTolerated, r.debug, r.notes);
    }

    private void event(MeasuredEvent e) {
        try {
            switch (e.pcr()) {
                case 0 -> firmware(e);
                case BOOT_VARIABLE_PCR -> bootVariable(e);
                case BOOT_APPLICATION_PCR -> bootApplication(e);
                case EBS_PCR -> exitBootServices(e);
                case SECURE_BOOT_PCR -> secureBootEvent(e);
                case 12, 13, 14 -> windowsBootEvent(e);
                default -> separator(e);
            }
        } catch (MalformedEventLog bad) {
            notes.add(e + ": content ignored: " + bad.getMessage());
        }
    }

    /** Hashes each event's data at most once, with one digest object per reader. */
    private boolean trusted(MeasuredEvent e) {
        if (e != trustedEvent) {
            trustedEvent = e;
            trustedValue = e.dataMatchesDigest(bank, md);
        }
        return trustedValue;
    }

    /** A separator is recognised by its data (0, 1 or all ones; "WBCL" for Windows), not by its type. */
    private boolean separator(MeasuredEvent e) {
        boolean four = e.dataLength() == 4;
        boolean zero = four && e.dataAt(0) == 0 && e.dataAt(1) == 0 && e.dataAt(2) == 0 && e.dataAt(3) == 0;
        boolean error = four && !zero && (e.dataAt(0) == 1 || e.dataAt(0) == (byte) 0xff)
                && e.dataAt(1) == e.dataAt(2) && e.dataAt(2) == e.dataAt(3)
                && (e.dataAt(1) == 0 || e.dataAt(1) == (byte) 0xff);
        boolean windows = e.dataEquals(WBCL);
        if (!(zero || error || windows) || !trusted(e)) {
            return false;
        }
        separators.add(new Separator(e.index(), e.pcr(), error));
        return true;
    }

    private void firmware(MeasuredEvent e) {
        if (separator(e)) {
            return;
        }
        if (e.type() == EventType.EV_S_CRTM_VERSION && trusted(e)) {
            versions.add(text(e.dataUnsafe()));
        } else {
            e.digest(bank).ifPresent(d -> blobs.add(d.hex()));
        }
    }

    private void bootVariable(MeasuredEvent e) throws MalformedEventLog {
        if (separator(e) || (e.type() != EventType.EV_EFI_VARIABLE_BOOT && e.type() != EventType.EV_EFI_VARIABLE_BOOT2)) {
            return;
        }
        UefiVariable v = UefiVariable.parse(e.dataUnsafe(), e.offset());
        Optional<EventDigest> digest = e.digest(bank);
        if (trusted(e)) {
            variables.add(new BootVariable(e.index(), v.name(), BootVariable.Convention.WHOLE_STRUCTURE));
        } else if (dataOnlyMatches(e, v, digest)) {
            variables.add(new BootVariable(e.index(), v.name(), BootVariable.Convention.DATA_ONLY));
        } else {
            notes.add(e + ": boot variable " + v.name() + " matches neither digest convention; content ignored");
        }
    }

    private boolean dataOnlyMatches(MeasuredEvent e, UefiVariable v, Optional<EventDigest> digest) {
        md.update(e.dataUnsafe(), v.dataOffset(), v.dataLength());
        byte[] hash = md.digest();
        return digest.isPresent() && digest.get().matches(hash);
    }

    /** Every code measurement of PCR 4 counts as a boot application, whatever its type says. */
    private void bootApplication(MeasuredEvent e) {
        if (separator(e) || (trusted(e) && e.type() != EventType.EV_EFI_BOOT_SERVICES_APPLICATION)) {
            return; // EV_EFI_ACTION strings and the like: their data is what was measured
        }
        String path;
        try {
            path = DevicePaths.imageFilePath(e.dataUnsafe(), e.offset());
        } catch (MalformedEventLog bad) {
            path = "";
        }
        applications.add(new BootApplication(e.index(), e.digest(bank).map(EventDigest::hex).orElse(""), path));
    }

    private void exitBootServices(MeasuredEvent e) {
        if (!separator(e) && trusted(e) && EventLogReplay.isExitBootServices(e)) {
            exitBootServices = true;
        }
    }

    /**
     * PCR 7 (PC Client PFP §3.3.4.8): before the separator the Secure Boot configuration, after it the
     * authorities. Variables are recognised by content, so relabelling an event's type hides nothing;
     * configuration after the separator comes from the OS and is ignored.
     */
    private void secureBootEvent(MeasuredEvent e) throws MalformedEventLog {
        if (separator(e)) {
            pcr7Separated = true;
            return;
        }
        if (!trusted(e)) {
            notes.add(e + ": digest is not the hash of its data; content ignored");
            return;
        }
        if (e.dataEquals(UEFI_DEBUG_MODE)) { // recognised by content, whatever the event's type says
            debug.add(DebugFlag.FIRMWARE_DEBUGGER);
            return;
        }
        UefiVariable v = UefiVariable.parse(e.dataUnsafe(), e.offset());
        if (pcr7Separated) {
            authority(e, v);
        } else {
            configuration(e, v);
        }
    }

    private void configuration(MeasuredEvent e, UefiVariable v) throws MalformedEventLog {
        int db = databaseIndex(v);
        if (v.is(UefiVariable.EFI_GLOBAL_VARIABLE, "SecureBoot")) {
            if (secureBootSeen) {
                notes.add(e + ": SecureBoot measured twice; the first value is kept");
                return;
            }
            secureBootSeen = true;
            secureBoot = v.dataLength() == 1 && e.dataUnsafe()[v.dataOffset()] == 1 ? SecureBoot.ON : SecureBoot.OFF;
        } else if (db >= 0) {
            if (databaseSeen[db]) {
                notes.add(e + ": " + v.name() + " measured twice; the first value is kept");
                return;
            }
            databaseSeen[db] = true;
            databases.get(db).addAll(SignatureLists.parse(e.dataUnsafe(), v.dataOffset(), v.dataLength(), e.offset(),
                    e.index()));
        }
    }

    private static int databaseIndex(UefiVariable v) {
        if (v.is(UefiVariable.EFI_GLOBAL_VARIABLE, "PK")) {
            return 0;
        } else if (v.is(UefiVariable.EFI_GLOBAL_VARIABLE, "KEK")) {
            return 1;
        } else if (v.is(UefiVariable.EFI_IMAGE_SECURITY_DATABASE, "db")) {
            return 2;
        } else if (v.is(UefiVariable.EFI_IMAGE_SECURITY_DATABASE, "dbx")) {
            return 3;
        }
        return -1;
    }

    /**
     * The authority's data is an EFI_SIGNATURE_DATA (owner GUID, then a certificate or hash); shim logs a bare
     * certificate. An authority is recognised by content: a certificate, or an entry of the variables that hold
     * authorities (db, shim's MokList and Shim), whatever the event's (unsigned) type says. Any other variable counts
     * only when the event is typed an authority: shim measures SbatLevel, MokListTrusted and the like here too.
     */
    private void authority(MeasuredEvent e, UefiVariable v) {
        byte[] d = Arrays.copyOfRange(e.dataUnsafe(), v.dataOffset(), v.dataOffset() + v.dataLength());
        boolean authorityVariable = v.is(UefiVariable.EFI_IMAGE_SECURITY_DATABASE, "db")
                || v.is(UefiVariable.SHIM_LOCK, "MokList") || v.is(UefiVariable.SHIM_LOCK, "Shim");
        SignatureEntry entry;
        if (isDer(d, 0)) {
            entry = Certificates.entry(d, e.index());
        } else if (d.length > 16 && isDer(d, 16)) {
            entry = Certificates.entry(Arrays.copyOfRange(d, 16, d.length), e.index());
        } else if (!authorityVariable && e.type() != EventType.EV_EFI_VARIABLE_AUTHORITY) {
            notes.add(e + ": PCR 7 variable " + v.name() + " after the separator (not an authority)");
            return;
        } else if (d.length == 16 + HashAlgorithm.SHA256.digestLength()) {
            entry = SignatureLists.entry(SignatureLists.EFI_CERT_SHA256, Arrays.copyOfRange(d, 16, d.length), e.index());
        } else {
            entry = SignatureLists.entry("unknown", d, e.index());
        }
        authorities.add(new BootAuthority(v.name(), entry));
    }

    /** A DER SEQUENCE with a long-form length that spans exactly the rest of the bytes. */
    private static boolean isDer(byte[] d, int at) {
        if (d.length - at < 4 || d[at] != 0x30 || d[at + 1] != (byte) 0x82) {
            return false;
        }
        int length = ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
        return length + 4 == d.length - at;
    }

    private void windowsBootEvent(MeasuredEvent e) throws MalformedEventLog {
        if (separator(e) || !trusted(e)) {
            return;
        }
        try {
            debug.addAll(SipaEvents.debugFlags(e.dataUnsafe(), e.offset(), maxNesting));
        } catch (MalformedEventLog bad) {
            if (e.type() == EventType.EV_EVENT_TAG) {
                throw bad;
            }
        }
    }

    /** EV_S_CRTM_VERSION: a NUL-terminated UCS-2 string on most firmware, else shown in hex. */
    private static String text(byte[] d) {
        if (d.length % 2 == 0 && d.length > 0) {
            String s = new String(d, StandardCharsets.UTF_16LE);
            int nul = s.indexOf('\0');
            String t = nul >= 0 ? s.substring(0, nul) : s;
            if (!t.isEmpty() && t.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                return t;
            }
        }
        return HexFormat.of().formatHex(d);
    }
}
