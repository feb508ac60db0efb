package org.stationtrust.tpm.internal;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.stationtrust.tpm.Quote;
import org.stationtrust.tpm.TpmException;
import org.stationtrust.tpm.TpmProtocolError;
import org.stationtrust.tpm.verify.Attestation;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuotedPcrs;

import tss.tpm.PCR_ReadResponse;
import tss.tpm.TPMS_NULL_SIG_SCHEME;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;

/** TPM2_Quote with the AK plus the PCR values it covers, read so that they match the quoted digest. */
public final class QuoteCommand {
    private static final int ATTEMPTS = 3;

    private QuoteCommand() {
    }

    /** Quotes {@code pcrs} in every bank of {@code banks}, one TPMS_PCR_SELECTION per bank in that order. */
    public static Quote quote(TpmChannel channel, int akHandle, byte[] nonce, SortedSet<Integer> pcrs,
            List<HashAlgorithm> banks) throws TpmException {
        TPM_HANDLE ak = new TPM_HANDLE(akHandle);
        TPMS_PCR_SELECTION[] selection = banks.stream()
                .map(b -> new TPMS_PCR_SELECTION(TPM_ALG_ID.fromInt(b.id()), bitmap(pcrs)))
                .toArray(TPMS_PCR_SELECTION[]::new);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            byte[] parameters = channel.callForParameters("TPM2_Quote",
                    t -> t.Quote(ak, nonce, new TPMS_NULL_SIG_SCHEME(), selection));
            Wire wire = new Wire(parameters, "TPM2_Quote response");
            byte[] attest = wire.sized("quoted");
            byte[] signature = wire.rest();
            List<PcrValues> read = new ArrayList<>();
            for (HashAlgorithm bank : banks) {
                read.add(readPcrs(channel, bank, pcrs));
            }
            QuotedPcrs values = QuotedPcrs.of(read);
            // A PCR extended between the quote and the read would make them disagree: quote again.
            if (Arrays.equals(quotedDigest(attest), values.digest())) {
                return new Quote(attest, signature, values);
            }
        }
        throw new TpmProtocolError("PCRs kept changing between TPM2_Quote and TPM2_PCR_Read (" + ATTEMPTS
                + " attempts); something is extending PCRs continuously: retry later");
    }

    /** Reads sha256 PCR values; a TPM returns at most 8 per call, so it loops until all are read. */
    public static PcrValues readPcrs(TpmChannel channel, SortedSet<Integer> pcrs) throws TpmException {
        return readPcrs(channel, HashAlgorithm.SHA256, pcrs);
    }

    /** Reads PCR values of one bank, as {@link #readPcrs(TpmChannel, SortedSet)} does. */
    public static PcrValues readPcrs(TpmChannel channel, HashAlgorithm bank, SortedSet<Integer> pcrs)
            throws TpmException {
        TreeMap<Integer, byte[]> values = new TreeMap<>();
        SortedSet<Integer> missing = new TreeSet<>(pcrs);
        while (!missing.isEmpty()) {
            TPMS_PCR_SELECTION[] ask = {new TPMS_PCR_SELECTION(TPM_ALG_ID.fromInt(bank.id()), bitmap(missing))};
            PCR_ReadResponse r = channel.call("TPM2_PCR_Read", t -> t.PCR_Read(ask));
            SortedSet<Integer> got = new TreeSet<>();
            for (TPMS_PCR_SELECTION s : r.pcrSelectionOut) {
                for (int i = 0; i < s.pcrSelect.length * 8; i++) {
                    if ((s.pcrSelect[i / 8] & (1 << (i % 8))) != 0) {
                        got.add(i);
                    }
                }
            }
            if (got.isEmpty() || got.size() != r.pcrValues.length || !missing.containsAll(got)) {
                throw new TpmProtocolError("TPM2_PCR_Read returned " + r.pcrValues.length + " values for PCRs " + got
                        + " when asked for " + missing + "; is the " + bank.bankName() + " bank allocated? (tpm2_getcap"
                        + " pcrs lists the allocated banks)");
            }
            int k = 0;
            for (int index : got) {
                values.put(index, r.pcrValues[k++].buffer);
            }
            missing.removeAll(got);
        }
        return PcrValues.of(bank, values);
    }

    private static byte[] quotedDigest(byte[] attest) throws TpmException {
        try {
            Attestation parsed = Attestation.parse(attest);
            if (parsed.quote().isEmpty()) {
                throw new TpmProtocolError("TPM2_Quote returned an attestation that is not a quote");
            }
            return parsed.quote().get().pcrDigest();
        } catch (MalformedTpmStructure e) {
            throw new TpmProtocolError("TPM2_Quote returned an attestation that does not parse: " + e.getMessage(), e);
        }
    }

    static byte[] bitmap(SortedSet<Integer> pcrs) {
        byte[] map = new byte[3];
        for (int i : pcrs) {
            map[i / 8] |= (byte) (1 << (i % 8));
        }
        return map;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
