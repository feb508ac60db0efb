package org.stationtrust.tpm.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.stationtrust.tpm.eventlog.EventType;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * For tests and the demo (swtpm has no firmware): writes a boot event log as firmware would, crypto-agile (PC Client
 * PFP §10.2.2) or in the SHA-1 format of older firmware (TCG_PCR_EVENT records, §10.2.1), and
 * keeps the digests it logged so that a test can extend the same ones into a software TPM (swtpm has
 * no firmware) or compute the PCR values on its own. Written independently of the parser.
 */
public final class SyntheticEventLog {
    public static final String EFI_GLOBAL_VARIABLE = "8be4df61-93ca-11d2-aa0d-00e098032b8c";
    public static final String EFI_IMAGE_SECURITY_DATABASE = "d719b2cb-3d3a-4596-a3bc-dad00e67656f";

    /** One logged event: the PCR and the digest per bank that the TPM must be extended with. */
    public record Extend(int pcr, long type, Map<HashAlgorithm, byte[]> digests, byte[] data) {
    }

    private static final int SHA1_EVENT_HEADER = 4 + 4 + 20 + 4;

    private final List<HashAlgorithm> banks;
    private final boolean cryptoAgile;
    private final List<Extend> events = new ArrayList<>();
    private int locality;

    private SyntheticEventLog(List<HashAlgorithm> banks, boolean cryptoAgile) {
        this.banks = List.copyOf(banks);
        this.cryptoAgile = cryptoAgile;
    }

    public static SyntheticEventLog cryptoAgile(HashAlgorithm... banks) {
        return new SyntheticEventLog(List.of(banks), true);
    }

    /** The SHA-1 format: no Spec ID event, one SHA-1 digest per event (PC Client PFP §10.2.1, TCG_PCR_EVENT). */
    public static SyntheticEventLog sha1Format() {
        return new SyntheticEventLog(List.of(HashAlgorithm.SHA1), false);
    }

    /** The banks this log carries digests for. */
    public List<HashAlgorithm> banks() {
        return banks;
    }

    /** An empty log of the same format and banks, for a test that rebuilds one from changed events. */
    public SyntheticEventLog emptyCopy() {
        return new SyntheticEventLog(banks, cryptoAgile);
    }

    public SyntheticEventLog startupLocality(int value) {
        if (!cryptoAgile && value != 0) {
            throw new IllegalStateException("a SHA-1 format log has no StartupLocality event (PC Client PFP §10.4.5.3"
                    + " defines it for crypto-agile logs)");
        }
        this.locality = value;
        return this;
    }

    /** An event whose digest is the hash of its data (configuration, separators, actions). */
    public SyntheticEventLog event(int pcr, long type, byte[] data) {
        return measured(pcr, type, data, data);
    }

    /** An event whose digest is the hash of something else (code: the image, not the event data). */
    public SyntheticEventLog measured(int pcr, long type, byte[] data, byte[] measured) {
        Map<HashAlgorithm, byte[]> digests = new EnumMap<>(HashAlgorithm.class);
        banks.forEach(b -> digests.put(b, b.digest(measured)));
        return raw(pcr, type, digests, data);
    }

    public SyntheticEventLog raw(int pcr, long type, Map<HashAlgorithm, byte[]> digests, byte[] data) {
        if (!cryptoAgile && (digests.size() != 1 || digests.get(HashAlgorithm.SHA1) == null
                || digests.get(HashAlgorithm.SHA1).length != HashAlgorithm.SHA1.digestLength())) {
            throw new IllegalArgumentException("an event of a SHA-1 format log has exactly one 20-byte SHA-1 digest");
        }
        events.add(new Extend(pcr, type, new EnumMap<>(digests), data.clone()));
        return this;
    }

    /** An EV_EFI_VARIABLE_* event whose digest covers the whole UEFI_VARIABLE_DATA. */
    public SyntheticEventLog variable(int pcr, long type, String vendor, String name, byte[] value) {
        return event(pcr, type, variableData(vendor, name, value));
    }

    public SyntheticEventLog separators(int... pcrs) {
        for (int pcr : pcrs) {
            event(pcr, EventType.EV_SEPARATOR, new byte[4]);
        }
        return this;
    }

    public List<Extend> events() {
        return List.copyOf(events);
    }

    /** The PCR values the TPM holds after these events (written here, not with ReplayedPcrs). */
    public SortedMap<Integer, byte[]> pcrs(HashAlgorithm bank) {
        SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
        for (Extend e : events) {
            byte[] old = pcrs.computeIfAbsent(e.pcr(), p -> reset(bank, p));
            MessageDigest md = bank.newDigest();
            md.update(old);
            md.update(e.digests().get(bank));
            pcrs.put(e.pcr(), md.digest());
        }
        return pcrs;
    }

    private byte[] reset(HashAlgorithm bank, int pcr) {
        byte[] v = new byte[bank.digestLength()];
        if (pcr >= 17 && pcr <= 22) {
            java.util.Arrays.fill(v, (byte) 0xff);
        } else if (pcr == 0) {
            v[v.length - 1] = (byte) locality;
        }
        return v;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!cryptoAgile) {
            events.forEach(e -> writeSha1Event(out, e));
            return out.toByteArray();
        }
        writeSpecId(out);
        if (locality != 0) {
            byte[] data = new byte[17];
            System.arraycopy("StartupLocality\0".getBytes(StandardCharsets.US_ASCII), 0, data, 0, 16);
            data[16] = (byte) locality;
            Map<HashAlgorithm, byte[]> zero = new EnumMap<>(HashAlgorithm.class);
            banks.forEach(b -> zero.put(b, new byte[b.digestLength()]));
            writeEvent2(out, new Extend(0, EventType.EV_NO_ACTION, zero, data));
        }
        events.forEach(e -> writeEvent2(out, e));
        return out.toByteArray();
    }

    private void writeSpecId(ByteArrayOutputStream out) {
        ByteBuffer spec = le(16 + 4 + 4 + 4 + 4 * banks.size() + 1);
        spec.put("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .put((byte) 0).put((byte) 2).put((byte) 0).put((byte) 2).putInt(banks.size());
        banks.forEach(b -> spec.putShort((short) b.id()).putShort((short) b.digestLength()));
        spec.put((byte) 0);
        ByteBuffer header = le(4 + 4 + 20 + 4);
        header.putInt(0).putInt((int) EventType.EV_NO_ACTION).put(new byte[20]).putInt(spec.capacity());
        out.writeBytes(header.array());
        out.writeBytes(spec.array());
    }

    /** TCG_PCR_EVENT: PCR index, type, the SHA-1 digest, data size, data (all little endian). */
    private static void writeSha1Event(ByteArrayOutputStream out, Extend e) {
        ByteBuffer b = le(SHA1_EVENT_HEADER + e.data().length);
        b.putInt(e.pcr()).putInt((int) e.type()).put(e.digests().get(HashAlgorithm.SHA1)).putInt(e.data().length)
                .put(e.data());
        out.writeBytes(b.array());
    }

    private void writeEvent2(ByteArrayOutputStream out, Extend e) {
        int size = 4 + 4 + 4 + e.digests().values().stream().mapToInt(d -> 2 + d.length).sum() + 4 + e.data().length;
        ByteBuffer b = le(size);
        b.putInt(e.pcr()).putInt((int) e.type()).putInt(e.digests().size());
        e.digests().forEach((bank, d) -> b.putShort((short) bank.id()).put(d));
        b.putInt(e.data().length).put(e.data());
        out.writeBytes(b.array());
    }

    /** UEFI_VARIABLE_DATA: vendor GUID, name length in CHAR16, data length, UCS-2 name, data. */
    public static byte[] variableData(String vendor, String name, byte[] value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = le(16 + 8 + 8 + n.length + value.length);
        b.put(guid(vendor)).putLong(name.length()).putLong(value.length).put(n).put(value);
        return b.array();
    }

    /** EFI_SIGNATURE_LIST of X.509 certificates, one list per certificate (they differ in size). */
    public static byte[] certificateList(String owner, List<byte[]> certificates) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] der : certificates) {
            out.writeBytes(signatureList("a5c059a1-94e4-4aa7-87b5-ab155c2bf072", owner, List.of(der)));
        }
        return out.toByteArray();
    }

    /** One EFI_SIGNATURE_LIST of SHA-256 hashes. */
    public static byte[] hashList(String owner, List<byte[]> hashes) {
        return hashes.isEmpty() ? new byte[0]
                : signatureList("c1c41626-504c-4092-aca9-41f936934328", owner, hashes);
    }

    private static byte[] signatureList(String type, String owner, List<byte[]> entries) {
        int sigSize = 16 + entries.get(0).length;
        ByteBuffer b = le(28 + sigSize * entries.size());
        b.put(guid(type)).putInt(b.capacity()).putInt(0).putInt(sigSize);
        entries.forEach(e -> b.put(guid(owner)).put(e));
        return b.array();
    }

    /** EFI_SIGNATURE_DATA as an authority event carries it: owner GUID then the certificate. */
    public static byte[] signatureData(String owner, byte[] der) {
        return le(16 + der.length).put(guid(owner)).put(der).array();
    }

    /** UEFI_IMAGE_LOAD_EVENT with a file-path device path ending in an end node. */
    public static byte[] imageLoadEvent(String path) {
        byte[] p = (path + "\0").getBytes(StandardCharsets.UTF_16LE);
        int dpLength = 4 + p.length + 4;
        ByteBuffer b = le(32 + dpLength);
        b.putLong(0x1000).putLong(0x2000).putLong(0).putLong(dpLength);
        b.put((byte) 4).put((byte) 4).putShort((short) (4 + p.length)).put(p);
        b.put((byte) 0x7f).put((byte) 0xff).putShort((short) 4);
        return b.array();
    }

    public static byte[] guid(String text) {
        String[] f = text.split("-");
        ByteBuffer b = le(16);
        b.putInt((int) Long.parseLong(f[0], 16)).putShort((short) Integer.parseInt(f[1], 16))
                .putShort((short) Integer.parseInt(f[2], 16));
        String rest = f[3] + f[4];
        for (int i = 0; i < 16; i += 2) {
            b.put((byte) Integer.parseInt(rest.substring(i, i + 2), 16));
        }
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
