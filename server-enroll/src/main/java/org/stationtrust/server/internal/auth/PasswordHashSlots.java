package org.stationtrust.server.internal.auth;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;

/**
 * How many password hashes may run at once in this server. Each Argon2id run holds its whole memory cost on the
 * heap (BouncyCastle), and anyone may ask for one (a sign-in, a password reset): without a bound, a few dozen
 * concurrent sign-ins exhaust the heap. A hash that finds no free slot is refused at once (503 {@code server_busy})
 * instead of queueing, so waiting sign-ins hold neither memory nor a thread.
 */
public final class PasswordHashSlots {
    private final Semaphore slots;
    private final int size;

    public PasswordHashSlots(int size) {
        if (size < 1) throw new IllegalArgumentException("at least one password hash must be allowed at a time");
        this.size = size;
        this.slots = new Semaphore(size);
    }

    /**
     * As many as the processors can run, and at most as many as fill half the heap with hashes of {@code memoryKib}
     * each; at least one.
     */
    public static int automatic(int memoryKib) {
        long perHash = memoryKib * 1024L;
        long byHeap = Runtime.getRuntime().maxMemory() / (2 * perHash);
        return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), byHeap));
    }

    /** Runs one hash in a free slot, or refuses (503 {@code server_busy}) when every slot is taken. */
    public <T> T run(Supplier<T> hash) {
        if (!slots.tryAcquire()) {
            throw new ApiException(ErrorCode.SERVER_BUSY, "Too many password checks are running at once (at most "
                    + size + "); retry in a second");
        }
        try {
            return hash.get();
        } finally {
            slots.release();
        }
    }

    public int size() {
        return size;
    }
}
