package org.stationtrust.tpm.internal;

import java.util.Optional;

import org.stationtrust.tpm.PersistentHandleConflict;
import org.stationtrust.tpm.TpmException;
import org.stationtrust.tpm.verify.TpmPublic;

import tss.tpm.CreateResponse;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_HANDLE;

/**
 * Creating keys and making them persistent. Long-lived keys live at persistent handles so that no
 * transient object stays loaded: swtpm holds only 3, hardware TPMs not many more.
 */
public final class PersistentObjects {
    private PersistentObjects() {
    }

    /** The public area at a persistent handle, if something is there. */
    public static Optional<TPMT_PUBLIC> read(TpmChannel channel, int handle) throws TpmException {
        return Objects.readPublic(channel, handle);
    }

    /** Makes sure a storage root key (restricted decryption parent) is persistent at {@code handle}. */
    public static void ensureStorageRoot(TpmChannel channel, int handle) throws TpmException {
        Optional<TPMT_PUBLIC> existing = read(channel, handle);
        if (existing.isEmpty()) {
            createStorageRoot(channel, handle);
            return;
        }
        TpmPublic srk = Objects.toTpmPublic(existing.get());
        if (!(srk.isRestricted() && srk.isDecrypt() && !srk.isSign() && srk.isFixedTpm() && srk.isFixedParent())) {
            throw conflict(handle, "storage root key", srk.toString());
        }
    }

    public static PersistentHandleConflict conflict(int handle, String role, String found) {
        return new PersistentHandleConflict(String.format("persistent handle 0x%08X should hold our %s but holds "
                + "another object (%s); configure a free handle or, if that object is unused, evict it with "
                + "`tpm2_evictcontrol -C o -c 0x%08X`", handle, role, found, handle));
    }

    /** Creates the storage root key from the SRK template and persists it at {@code handle}. */
    public static TPMT_PUBLIC createStorageRoot(TpmChannel channel, int handle) throws TpmException {
        Objects.Primary primary = Objects.createPrimary(channel, TPM_HANDLE.OWNER, Templates.storageRootKey());
        try {
            persist(channel, primary.handle(), handle);
            return primary.publicArea();
        } finally {
            channel.flushQuietly(primary.handle());
        }
    }

    /** Creates a key under the persistent {@code parent}, persists it at {@code handle}, flushes the copy. */
    public static TPMT_PUBLIC createChild(TpmChannel channel, int parent, TPMT_PUBLIC template, int handle)
            throws TpmException {
        TPM_HANDLE parentHandle = new TPM_HANDLE(parent);
        CreateResponse created = channel.call("TPM2_Create", t -> t.Create(parentHandle,
                new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]), template, new byte[0], new TPMS_PCR_SELECTION[0]));
        TPM_HANDLE loaded = channel.call("TPM2_Load", t -> t.Load(parentHandle, created.outPrivate, created.outPublic));
        try {
            persist(channel, loaded, handle);
            return created.outPublic;
        } finally {
            channel.flushQuietly(loaded);
        }
    }

    /**
     * Creates a new key under {@code parent} and only then swaps it in at {@code handle}: if creation
     * fails, the old key is still there.
     */
    public static TPMT_PUBLIC replaceChild(TpmChannel channel, int parent, TPMT_PUBLIC template, int handle)
            throws TpmException {
        TPM_HANDLE parentHandle = new TPM_HANDLE(parent);
        CreateResponse created = channel.call("TPM2_Create", t -> t.Create(parentHandle,
                new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]), template, new byte[0], new TPMS_PCR_SELECTION[0]));
        TPM_HANDLE loaded = channel.call("TPM2_Load", t -> t.Load(parentHandle, created.outPrivate, created.outPublic));
        try {
            if (read(channel, handle).isPresent()) {
                evict(channel, handle);
            }
            persist(channel, loaded, handle);
            return created.outPublic;
        } finally {
            channel.flushQuietly(loaded);
        }
    }

    /** Removes a persistent object. */
    public static void evict(TpmChannel channel, int handle) throws TpmException {
        TPM_HANDLE persistent = new TPM_HANDLE(handle);
        channel.run("TPM2_EvictControl", t -> t.EvictControl(TPM_HANDLE.OWNER, persistent, persistent));
    }

    private static void persist(TpmChannel channel, TPM_HANDLE loaded, int handle) throws TpmException {
        // TPM_HANDLE.persistent() would add an offset; build the handle from its full value
        channel.run("TPM2_EvictControl", t -> t.EvictControl(TPM_HANDLE.OWNER, loaded, new TPM_HANDLE(handle)));
    }
}
