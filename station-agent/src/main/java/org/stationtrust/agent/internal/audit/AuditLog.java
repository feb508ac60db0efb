package org.stationtrust.agent.internal.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.logging.Redaction;

/**
 * The station's append-only audit log: one JSON object per line, each carrying the SHA-256 of the
 * previous record, so an edit, a deletion or a reordering breaks the chain ({@link AuditChain#verify}).
 * A head file holds the last sequence number and hash so a truncated tail is detected too. Fields pass
 * through {@link Redaction} before they are written.
 */
public final class AuditLog implements AutoCloseable {
    public static final String GENESIS = "0".repeat(64);
    /** The event of a capture whose packet was stored and answered; its fields name the {@code packetId}. */
    public static final String CAPTURE_COMPLETED = "capture.completed";
    private static final int SCAN_BATCH = 1000;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLog LOG = new JsonLog(AuditLog.class);

    private final Path file;
    private final Path head;
    private final Clock clock;
    private final FileChannel channel;
    private final FileChannel headChannel;
    private final List<Consumer<Appended>> listeners = new CopyOnWriteArrayList<>();
    private long seq;
    private String lastHash;
    /** End of the last record known to be on disk (synced): readers never see a record an append may still roll back. */
    private volatile long committedEnd;

    /** One record as written (redacted), and the file offset just after it. */
    public record Appended(ObjectNode record, long endOffset) {
    }

    private AuditLog(Path file, Path head, Clock clock, FileChannel channel, FileChannel headChannel, long seq, String lastHash)
            throws IOException {
        this.file = file;
        this.head = head;
        this.clock = clock;
        this.channel = channel;
        this.headChannel = headChannel;
        this.seq = seq;
        this.lastHash = lastHash;
        this.committedEnd = channel.size();
    }

    /** Opens (or creates, 0600) the log in the state directory; refuses to extend a chain that does not verify. */
    public static AuditLog open(Path stateDir, Clock clock) throws IOException, AuditChain.BrokenAuditChain {
        Path file = stateDir.resolve("audit.jsonl");
        Path head = stateDir.resolve("audit.head");
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        AuditChain.Verified verified = AuditChain.verify(file, head);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (!Files.exists(head)) {
            Files.createFile(head, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        FileChannel headChannel = FileChannel.open(head, StandardOpenOption.WRITE);
        return new AuditLog(file, head, clock, channel, headChannel, verified.records(), verified.lastHash());
    }

    public Path file() {
        return file;
    }

    /** Called with each appended record (already redacted, synced, stored with what belongs to it), e.g. to send it. */
    public void onAppend(Consumer<Appended> listener) {
        listeners.add(listener);
    }

    /** Sequence number of the last record (0 for an empty log). */
    public synchronized long lastSeq() {
        return seq;
    }

    /**
     * Up to {@code max} records that start at byte {@code offset}, each with the offset after it, reading only what
     * is synced and kept. A line that is not a JSON object ends the read (the chain is verified when the log opens).
     */
    public List<Appended> readFrom(long offset, int max) throws IOException {
        long end = committedEnd;
        List<Appended> out = new java.util.ArrayList<>();
        if (offset >= end || max <= 0) return out;
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = offset;
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(end - offset, 256 * 1024));
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            while (position < end) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), end - position));
                int n = reader.read(buffer, position);
                if (n <= 0) break;
                for (int i = 0; i < n; i++) {
                    byte b = buffer.get(i);
                    if (b != '\n') {
                        line.write(b);
                        if (line.size() > AuditChain.MAX_LINE) return out;
                        continue;
                    }
                    com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(line.toByteArray());
                    if (!(node instanceof ObjectNode record)) return out;
                    out.add(new Appended(record, position + i + 1));
                    if (out.size() >= max) return out;
                    line.reset();
                }
                position += n;
            }
        }
        return out;
    }

    /**
     * Which of {@code packetIds} have their {@link #CAPTURE_COMPLETED} record in this log (read from its start, up to
     * what is synced; the read stops once every one was found).
     */
    public Set<String> completedCaptures(Collection<String> packetIds) throws IOException {
        Set<String> missing = new HashSet<>(packetIds);
        Set<String> found = new HashSet<>();
        long offset = 0;
        while (!missing.isEmpty()) {
            List<Appended> batch = readFrom(offset, SCAN_BATCH);
            if (batch.isEmpty()) break;
            for (Appended a : batch) {
                if (!CAPTURE_COMPLETED.equals(a.record().path("event").asText())) continue;
                String packetId = a.record().path("fields").path("packetId").asText();
                if (missing.remove(packetId)) found.add(packetId);
            }
            offset = batch.get(batch.size() - 1).endOffset();
        }
        return found;
    }

    /** Appends one event; {@code fields} are redacted first. Returns the record as written. */
    public synchronized ObjectNode append(String event, Map<String, ?> fields) {
        return appendTogetherWith(event, fields, () -> { });
    }

    /**
     * Appends one event and stores something that belongs with it ({@code alongside}, e.g. queuing the packet
     * the record describes), so that both are kept or neither is: the record is written and synced first, then
     * {@code alongside} runs; if it throws, the record is cut off the log again (truncation needs no free space)
     * and the exception propagates. If the record cannot be written, {@code alongside} never runs. Listeners see
     * the record only once both are stored.
     */
    public synchronized ObjectNode appendTogetherWith(String event, Map<String, ?> fields, Runnable alongside) {
        return append(event, fields, alongside, null, () -> { });
    }

    /**
     * As {@link #appendTogetherWith(String, Map, Runnable)}, but {@code alongside} (a write to another store that syncs
     * on its own) runs on {@code executor} while the record syncs, so the caller waits for the slower sync instead of
     * both. The record is written before {@code alongside} starts, so a full disk stops the append before anything
     * else is stored. When {@code alongside} fails the record is cut off again; when the record's sync fails after
     * {@code alongside} succeeded, {@code undo} takes that write back. Only a power cut between the two syncs can
     * leave the other write without its record; the caller removes such leftovers at the next start.
     */
    public synchronized ObjectNode appendConcurrentlyWith(String event, Map<String, ?> fields, Runnable alongside,
                                                          java.util.concurrent.Executor executor, Runnable undo) {
        return append(event, fields, alongside, java.util.Objects.requireNonNull(executor), undo);
    }

    private ObjectNode append(String event, Map<String, ?> fields, Runnable alongside, java.util.concurrent.Executor executor,
                              Runnable undo) {
        ObjectNode record = JSON.createObjectNode();
        record.put("seq", seq + 1);
        record.put("time", clock.instant().toString());
        record.put("event", event);
        record.set("fields", JSON.valueToTree(Redaction.fields(fields)));
        record.put("prev", lastHash);
        String hash = hashOf(record);
        record.put("hash", hash);
        long sizeBefore = -1;
        long lineLength;
        java.util.concurrent.CompletableFuture<Void> other = null;
        try {
            byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            lineLength = line.length;
            sizeBefore = channel.size();
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) channel.write(buffer);
            if (executor != null) other = java.util.concurrent.CompletableFuture.runAsync(alongside, executor);
            channel.force(false);
        } catch (IOException e) {
            // A failed append (disk full) must not leave part of a record behind: the next append would break the chain.
            if (other != null) {
                RuntimeException otherFailure = outcome(other);
                if (otherFailure != null) {
                    e.addSuppressed(otherFailure);
                } else {
                    try {
                        undo.run();
                    } catch (RuntimeException undoFailure) {
                        e.addSuppressed(undoFailure);
                    }
                }
            }
            rollBack(sizeBefore, e);
            throw new java.io.UncheckedIOException("cannot append to the audit log " + file + "; check disk space and permissions", e);
        }
        RuntimeException otherFailure;
        if (other != null) {
            otherFailure = outcome(other);
        } else {
            try {
                alongside.run();
                otherFailure = null;
            } catch (RuntimeException e) {
                otherFailure = e;
            }
        }
        if (otherFailure != null) {
            rollBack(sizeBefore, otherFailure);
            throw otherFailure;
        }
        try {
            writeHead(seq + 1, hash);
        } catch (IOException e) {
            // The record is synced and what it describes is stored: keep both. A head that lags is what a crash
            // leaves too, and AuditChain.verify accepts it; the next successful append moves it on.
            LOG.warn("audit.head_lagging", "seq", seq + 1, "reason", e.getMessage());
        }
        seq++;
        lastHash = hash;
        committedEnd = sizeBefore + lineLength;
        Appended appended = new Appended(record.deepCopy(), committedEnd);
        listeners.forEach(l -> l.accept(appended));
        return record;
    }

    /** Waits for the concurrent write (not interruptibly: its outcome decides the record's); its failure or null. */
    private static RuntimeException outcome(java.util.concurrent.CompletableFuture<Void> other) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    other.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) return r;
                    if (cause instanceof Error err) throw err;
                    return new IllegalStateException(String.valueOf(cause), cause);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void rollBack(long sizeBefore, Exception cause) {
        if (sizeBefore < 0) return;
        try {
            channel.truncate(sizeBefore);
            channel.force(false);
            writeHead(seq, lastHash);
        } catch (IOException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    /** SHA-256 (hex) of the record's JSON without its {@code hash} field, as written. */
    static String hashOf(ObjectNode recordWithoutHash) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(recordWithoutHash);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash an audit record", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
        headChannel.force(false);
        headChannel.close();
    }

    /**
     * The head is rewritten in place with a fixed width (no rename, no sync): the log itself is synced first,
     * so after a crash the head may lag behind the log, never run ahead of it.
     */
    private void writeHead(long newSeq, String hash) throws IOException {
        byte[] line = String.format(java.util.Locale.ROOT, "%020d %s\n", newSeq, hash).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        long position = 0;
        while (buffer.hasRemaining()) position += headChannel.write(buffer, position);
    }
}
