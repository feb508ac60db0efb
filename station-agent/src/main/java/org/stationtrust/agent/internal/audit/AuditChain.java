package org.stationtrust.agent.internal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Verifies the hash chain of an audit log file ({@code station-agent audit verify}). */
public final class AuditChain {
    static final int MAX_LINE = 64 * 1024;

    private AuditChain() {
    }

    /** The chain holds: {@code records} records, ending with {@code lastHash}. */
    public record Verified(long records, String lastHash) {
    }

    /** The chain is broken at {@code line} (1-based); the message says how. */
    public static final class BrokenAuditChain extends Exception {
        private static final long serialVersionUID = 1L;
        private final long line;

        BrokenAuditChain(long line, String message) {
            super("audit log broken at line " + line + ": " + message
                    + "; the log was edited, truncated or reordered: keep the file as evidence and report it");
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    public static Verified verify(Path file, Path head) throws IOException, BrokenAuditChain {
        long expectedSeq = 1;
        String prev = AuditLog.GENESIS;
        long lineNo = 0;
        java.util.Map<Long, String> hashes = new java.util.HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.length() > MAX_LINE) throw new BrokenAuditChain(lineNo, "line longer than " + MAX_LINE + " characters");
                ObjectNode record;
                try {
                    JsonNode node = AuditLog.JSON.readTree(line);
                    if (!(node instanceof ObjectNode o)) throw new BrokenAuditChain(lineNo, "not a JSON object");
                    record = o;
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new BrokenAuditChain(lineNo, "not valid JSON");
                }
                long seq = record.path("seq").asLong(-1);
                if (seq != expectedSeq) {
                    throw new BrokenAuditChain(lineNo, "expected sequence number " + expectedSeq + ", saw " + seq);
                }
                if (!prev.equals(record.path("prev").asText())) {
                    throw new BrokenAuditChain(lineNo, "its prev hash does not match the record before it");
                }
                String stated = record.path("hash").asText();
                record.remove("hash");
                if (!AuditLog.hashOf(record).equals(stated)) {
                    throw new BrokenAuditChain(lineNo, "its content does not match its hash");
                }
                prev = stated;
                hashes.put(seq, stated);
                expectedSeq++;
            }
        }
        long records = expectedSeq - 1;
        String headText = Files.exists(head) ? Files.readString(head, StandardCharsets.US_ASCII).trim() : "";
        if (headText.isEmpty()) {
            if (records > 1) throw new BrokenAuditChain(lineNo, "the head file " + head + " is missing or empty");
        } else {
            String[] parts = headText.split(" ");
            long headSeq;
            try {
                headSeq = parts.length == 2 ? Long.parseLong(parts[0]) : -1;
            } catch (NumberFormatException e) {
                headSeq = -1;
            }
            // The head is written after the log is synced, so after a crash it may lag behind; it must never be
            // ahead of the log, and the record it names must still carry the hash it recorded.
            if (headSeq < 0 || headSeq > records) {
                throw new BrokenAuditChain(lineNo + 1, "the log ends at record " + records + " but its head file names record "
                        + (headSeq < 0 ? "?" : headSeq) + " (records were deleted from the end)");
            }
            if (headSeq > 0 && !parts[1].equals(hashes.get(headSeq))) {
                throw new BrokenAuditChain(headSeq, "the record named by the head file has another hash (the log was rewritten)");
            }
        }
        return new Verified(records, prev);
    }
}
