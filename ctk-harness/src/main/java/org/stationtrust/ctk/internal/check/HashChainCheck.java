package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.stationtrust.sbi.client.HashChain;

/**
 * Recomputes the SBI hash chain (sbi-client's HashChain): from each request's previousHash, element
 * by element, and across the requests of one case, and compares with every element's hash.
 */
public final class HashChainCheck implements Check {
    /** docs/sbi-protocol.md §Hash chain: a hash is the hex of a SHA-256 (any case read, to find the link). */
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");
    /**
     * SBI 0.9.5 §Capture Response writes it "in upper case", and MOSIP's HashValidator compares the text
     * exactly: a right link in lower case is still a failure, in both profiles.
     */
    private static final Pattern UPPER_HEX_SHA256 = Pattern.compile("[0-9A-F]{64}");

    @Override
    public String name() {
        return "hash-chain";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<String> problems = new ArrayList<>();
        int links = 0;
        List<String> recomputed = new ArrayList<>();
        String lastHash = null;
        for (Observation.SentCapture sent : o.sent) {
            List<Observation.CaptureElement> mine = o.elements.stream()
                    .filter(e -> e.request() == sent.index() && e.success()).toList();
            if (mine.isEmpty()) {
                continue;
            }
            if (lastHash != null && !lastHash.equalsIgnoreCase(sent.previousHash())) {
                problems.add("harness error: capture " + (sent.index() + 1) + " did not send the previous hash");
            }
            HashChain chain;
            try {
                chain = HashChain.continueFrom(sent.previousHash());
            } catch (IllegalArgumentException e) {
                problems.add("capture " + (sent.index() + 1) + " previousHash unusable: " + e.getMessage());
                continue;
            }
            for (Observation.CaptureElement e : mine) {
                String where = "capture " + (sent.index() + 1) + " biometrics[" + e.index() + "]";
                if (e.bioValue() == null) {
                    problems.add(where + " hash cannot be recomputed: " + e.bioValueProblem());
                    break;
                }
                // The report withholds bioValue, so each link names its inputs: a lab recomputes it from them.
                String link = where + ": previous " + chain.hex() + ", SHA-256(bioValue) " + digest(e.bioValue());
                chain = chain.next(e.bioValue());
                links++;
                if (chain.matches(e.hash()) && !UPPER_HEX_SHA256.matcher(e.hash()).matches()) {
                    problems.add(where + " hash " + SchemaCheck.abbreviate(e.hash()) + " is the right link but is not"
                            + " upper-case hex (SBI 0.9.5 writes the hash in upper case; MOSIP compares it as text)");
                }
                if (!chain.matches(e.hash())) {
                    boolean hex = e.hash() != null && HEX_SHA256.matcher(e.hash()).matches();
                    // The label leads (the console cuts a reason at 200 characters); a hex hash is quoted whole, so the
                    // lab compares it with the recomputed link; anything else is abbreviated.
                    problems.add(where + " broken hash chain: hash "
                            + (hex ? e.hash() : SchemaCheck.abbreviate(String.valueOf(e.hash())))
                            + (hex ? " differs from the recomputed " + chain.hex()
                                    : " is not 64 hex digits (the recomputed one is " + chain.hex()
                                    + "); send UPPER_HEX(SHA-256(previous hash || SHA-256(bioValue)))")
                            + " (" + link.substring(where.length() + 2) + ")");
                    // Judge the next element against what the device sent, so one bad link is reported once.
                    chain = hex ? HashChain.continueFrom(e.hash()) : chain;
                }
                recomputed.add(link);
                lastHash = e.hash();
            }
        }
        if (links == 0 && problems.isEmpty()) {
            return Finding.notEvaluated(name(), "no successful capture element to chain");
        }
        return Finding.of(name(), problems, links + " hash links recomputed and equal, each UPPER_HEX(SHA-256(previous"
                + " || SHA-256(bioValue))): " + String.join("; ", recomputed));
    }

    private static String digest(byte[] bioValue) {
        try {
            return java.util.HexFormat.of().withUpperCase().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bioValue));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
