package org.stationtrust.tpm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeSet;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.stationtrust.tpm.internal.PersistentObjects;
import org.stationtrust.tpm.internal.Sessions;
import org.stationtrust.tpm.internal.Templates;
import org.stationtrust.tpm.internal.TpmChannel;

import tss.tpm.CreateResponse;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_SE;

/**
 * A 256-bit data key sealed to this TPM: a sealed data object under the storage root key, optionally
 * bound to the current values of some PCRs. The blob ({@link #toBytes()}) can be stored anywhere: only
 * this TPM (its owner seed) can load it, so a copy is useless on another machine.
 */
public final class SealedDataKey {
    public static final int KEY_BYTES = 32;
    private static final byte[] MAGIC = {'S', 'T', 'S', 'K'};
    private static final int VERSION = 1;
    /** A sealed object's public and private parts are each well under 512 bytes. */
    private static final int MAX_PART = 1024;
    private static final int MAX_BLOB = 4 + 1 + 4 + 3 + 2 + MAX_PART + 2 + MAX_PART;

    private final int storageRootHandle;
    private final Optional<PcrSelection> pcrPolicy;
    private final byte[] publicPart;
    private final byte[] privatePart;

    private SealedDataKey(int storageRootHandle, Optional<PcrSelection> pcrPolicy, byte[] publicPart, byte[] privatePart) {
        this.storageRootHandle = storageRootHandle;
        this.pcrPolicy = pcrPolicy;
        this.publicPart = publicPart;
        this.privatePart = privatePart;
    }

    /** Seals {@code dataKey} (32 bytes) under the storage root key at the default handle. */
    public static SealedDataKey seal(TpmConnection connection, byte[] dataKey) throws TpmException {
        return seal(connection, dataKey, Optional.empty());
    }

    /** Seals {@code dataKey} so that it unseals only while {@code pcrs} hold their current values. */
    public static SealedDataKey seal(TpmConnection connection, byte[] dataKey, PcrSelection pcrs) throws TpmException {
        return seal(connection, dataKey, Optional.of(pcrs));
    }

    private static SealedDataKey seal(TpmConnection connection, byte[] dataKey, Optional<PcrSelection> pcrs)
            throws TpmException {
        if (dataKey == null || dataKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a data key is " + KEY_BYTES + " bytes, got "
                    + (dataKey == null ? "none" : dataKey.length));
        }
        TpmChannel channel = connection.channel();
        int srk = IdentityConfig.DEFAULT_STORAGE_ROOT;
        PersistentObjects.ensureStorageRoot(channel, srk);
        byte[] policy = pcrs.isPresent() ? pcrPolicyDigest(channel, pcrs.get()) : new byte[0];
        TPM_HANDLE parent = new TPM_HANDLE(srk);
        CreateResponse created = channel.call("TPM2_Create", t -> t.Create(parent,
                new TPMS_SENSITIVE_CREATE(new byte[0], dataKey.clone()), Templates.sealedData(policy), new byte[0],
                new TPMS_PCR_SELECTION[0]));
        return new SealedDataKey(srk, pcrs, created.outPublic.toBytes(), created.outPrivate.buffer);
    }

    /** Loads the sealed object under this TPM's storage root key and returns the data key as an AES key. */
    public SecretKey unseal(TpmConnection connection) throws TpmException {
        TpmChannel channel = connection.channel();
        // The SRK is deterministic (owner seed + template): recreating an evicted one gives the same parent.
        PersistentObjects.ensureStorageRoot(channel, storageRootHandle);
        TPM_HANDLE parent = new TPM_HANDLE(storageRootHandle);
        TPMT_PUBLIC pub = parsePublic(publicPart);
        TPM_HANDLE object = channel.call("TPM2_Load", t -> t.Load(parent, new TPM2B_PRIVATE(privatePart), pub));
        TPM_HANDLE session = null;
        try {
            byte[] key;
            if (pcrPolicy.isEmpty()) {
                key = channel.call("TPM2_Unseal", t -> t.Unseal(object));
            } else {
                session = Sessions.start(channel, TPM_SE.POLICY);
                TPM_HANDLE policy = session;
                TPMS_PCR_SELECTION[] selection = selection(pcrPolicy.get());
                channel.run("TPM2_PolicyPCR", t -> t.PolicyPCR(policy, new byte[0], selection));
                key = channel.call("TPM2_Unseal", t -> t._withSession(policy).Unseal(object));
            }
            if (key == null || key.length != KEY_BYTES) {
                throw new TpmProtocolError("TPM2_Unseal returned " + (key == null ? 0 : key.length)
                        + " bytes where a " + KEY_BYTES + "-byte data key was sealed");
            }
            SecretKey secret = new SecretKeySpec(key, "AES");
            Arrays.fill(key, (byte) 0);
            return secret;
        } finally {
            channel.flushQuietly(session);
            channel.flushQuietly(object);
        }
    }

    private static byte[] pcrPolicyDigest(TpmChannel channel, PcrSelection pcrs) throws TpmException {
        // A trial session lets the TPM compute PolicyPCR's digest over the current PCR values itself.
        TPM_HANDLE trial = Sessions.start(channel, TPM_SE.TRIAL);
        try {
            TPMS_PCR_SELECTION[] selection = selection(pcrs);
            channel.run("TPM2_PolicyPCR", t -> t.PolicyPCR(trial, new byte[0], selection));
            return channel.call("TPM2_PolicyGetDigest", t -> t.PolicyGetDigest(trial));
        } finally {
            channel.flushQuietly(trial);
        }
    }

    private static TPMS_PCR_SELECTION[] selection(PcrSelection pcrs) {
        return new TPMS_PCR_SELECTION[] {new TPMS_PCR_SELECTION(TPM_ALG_ID.SHA256, bitmap(pcrs))};
    }

    private static byte[] bitmap(PcrSelection pcrs) {
        byte[] map = new byte[3];
        for (int i : pcrs.pcrs()) {
            map[i / 8] |= (byte) (1 << (i % 8));
        }
        return map;
    }

    /** The PCRs the key is bound to, if any. */
    public Optional<PcrSelection> pcrPolicy() {
        return pcrPolicy;
    }

    /**
     * The storable blob: "STSK", version 1, storage root handle (u32), PCR bitmap (3 bytes, all zero
     * when unbound), then the sealed object's public and private parts, each with a u16 length.
     */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(4 + 1 + 4 + 3 + 2 + publicPart.length + 2 + privatePart.length);
        out.put(MAGIC).put((byte) VERSION).putInt(storageRootHandle);
        out.put(pcrPolicy.map(SealedDataKey::bitmap).orElse(new byte[3]));
        out.putShort((short) publicPart.length).put(publicPart);
        out.putShort((short) privatePart.length).put(privatePart);
        return out.array();
    }

    /** Parses a blob made by {@link #toBytes()}; rejects anything else with a message saying what is wrong. */
    public static SealedDataKey fromBytes(byte[] blob) {
        if (blob == null || blob.length < 4 + 1 + 4 + 3 + 2 + 2 || blob.length > MAX_BLOB) {
            throw new IllegalArgumentException("a sealed data key blob is 16.." + MAX_BLOB + " bytes, got "
                    + (blob == null ? "none" : blob.length));
        }
        ByteBuffer in = ByteBuffer.wrap(blob);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC) || in.get() != VERSION) {
            throw new IllegalArgumentException("not a sealed data key blob (expected magic STSK version 1)");
        }
        int srk = in.getInt();
        byte[] map = new byte[3];
        in.get(map);
        TreeSet<Integer> pcrs = new TreeSet<>();
        for (int i = 0; i < 24; i++) {
            if ((map[i / 8] & (1 << (i % 8))) != 0) {
                pcrs.add(i);
            }
        }
        byte[] pub = part(in, "public part");
        byte[] priv = part(in, "private part");
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("sealed data key blob has " + in.remaining() + " trailing bytes");
        }
        Optional<PcrSelection> policy = pcrs.isEmpty() ? Optional.empty() : Optional.of(new PcrSelection(pcrs));
        parsePublic(pub);
        return new SealedDataKey(srk, policy, pub, priv);
    }

    private static TPMT_PUBLIC parsePublic(byte[] publicPart) {
        try {
            TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(publicPart);
            if (!Arrays.equals(pub.toBytes(), publicPart) || pub.type().toInt() != TPM_ALG_ID.KEYEDHASH.toInt()) {
                throw new IllegalArgumentException("sealed data key blob's public part is not a sealed data object");
            }
            return pub;
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("sealed data key blob's public part is not a TPMT_PUBLIC: " + e.getMessage(), e);
        }
    }

    private static byte[] part(ByteBuffer in, String what) {
        if (in.remaining() < 2) {
            throw new IllegalArgumentException("sealed data key blob ends before its " + what + " length");
        }
        int length = in.getShort() & 0xFFFF;
        if (length == 0 || length > MAX_PART || length > in.remaining()) {
            throw new IllegalArgumentException("sealed data key blob's " + what + " claims " + length + " bytes; "
                    + in.remaining() + " remain (limit " + MAX_PART + ")");
        }
        byte[] part = new byte[length];
        in.get(part);
        return part;
    }

    @Override
    public String toString() {
        return "SealedDataKey[" + pcrPolicy.map(p -> "bound to " + p).orElse("no PCR policy") + "]";
    }
}
