package org.stationtrust.tpm.internal;

import org.stationtrust.tpm.TpmException;
import org.stationtrust.tpm.TpmProtocolError;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;

import tss.tpm.CreatePrimaryResponse;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_HANDLE;

/** Small operations on TPM objects shared by the key, endorsement and sealing code. */
public final class Objects {
    private Objects() {
    }

    /** A primary key created (and loaded) from a template; flush {@code handle} after use. */
    public record Primary(TPM_HANDLE handle, TPMT_PUBLIC publicArea) {
    }

    public static Primary createPrimary(TpmChannel channel, TPM_HANDLE hierarchy, TPMT_PUBLIC template)
            throws TpmException {
        CreatePrimaryResponse r = channel.call("TPM2_CreatePrimary", t -> t.CreatePrimary(hierarchy,
                new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]), template, new byte[0], new TPMS_PCR_SELECTION[0]));
        return new Primary(r.handle, r.outPublic);
    }

    /** Reads the public area of a loaded or persistent object, or empty when the handle holds nothing. */
    public static java.util.Optional<TPMT_PUBLIC> readPublic(TpmChannel channel, int handle) throws TpmException {
        int type = handle >>> 24;
        if (type == 0x81 && channel.handles(handle & 0xFF000000).stream().noneMatch(h -> h.handle == handle)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(channel.call("TPM2_ReadPublic", t -> t.ReadPublic(new TPM_HANDLE(handle))).outPublic);
    }

    /** Converts a TSS.Java public area to the verify package's strict, immutable form. */
    public static TpmPublic toTpmPublic(TPMT_PUBLIC publicArea) throws TpmException {
        try {
            return TpmPublic.parse(publicArea.toBytes());
        } catch (MalformedTpmStructure e) {
            throw new TpmProtocolError("the TPM returned a public area that does not parse: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TpmProtocolError("the TPM returned a public area that could not be encoded: " + e.getMessage(), e);
        }
    }
}
