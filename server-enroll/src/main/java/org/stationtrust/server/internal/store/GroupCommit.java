package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Group commit for SQLite's single writer: one thread takes the small writes that request threads hand it, runs
 * those waiting together in one transaction, commits once, and only then answers each request. A request never
 * learns of a write that was not committed. When one write of a batch fails, the whole transaction is rolled back
 * and every write of that batch runs again alone, in its own transaction: the failure stays with its own request
 * and the others are neither lost nor accepted without being committed.
 */
final class GroupCommit implements AutoCloseable {
    static final int MAX_BATCH = 128;
    private static final long ANSWER_TIMEOUT_SECONDS = 60;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final String NOT_RUN = "database closed before the write ran";

    private final DataSource pool;
    private final Runnable lock;
    private final Runnable unlock;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final GroupCommitObserver observer;
    /** Put on the queue by {@link #close} so that the writer, waiting for work, sees at once that it should stop. */
    private final Pending<Void> wake = new Pending<>(c -> null);
    private volatile boolean closed;

    static final class Pending<T> {
        final Database.SqlWork<T> work;
        final CompletableFuture<T> answer = new CompletableFuture<>();
        T result;

        Pending(Database.SqlWork<T> work) {
            this.work = work;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }

        void complete() {
            answer.complete(result);
        }
    }

    GroupCommit(DataSource pool, Runnable lock, Runnable unlock, GroupCommitObserver observer) {
        this.pool = pool;
        this.observer = observer;
        this.lock = lock;
        this.unlock = unlock;
        writer = new Thread(this::loop, "sqlite-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Runs work in a transaction shared with other waiting writes; returns once that transaction committed. */
    <T> T submit(Database.SqlWork<T> work) {
        if (closed) throw new StorageException(new SQLException("database closed"));
        return handOver(new Pending<>(work));
    }

    /**
     * Queues p and waits for its answer. A {@link #close} that ran since the caller looked can have let the writer
     * take its last look at the queue before p was on it; nothing would then answer p for a minute. So once closed,
     * the caller waits for the writer to stop (as close does) and takes p back if the writer never took it: it is
     * answered at once as not run. Package-private for the test that hands a write over after close.
     */
    <T> T handOver(Pending<T> p) {
        queue.add(p);
        if (closed && Thread.currentThread() != writer) {
            try {
                writer.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (queue.remove(p)) p.answer.completeExceptionally(new SQLException(NOT_RUN));
        }
        try {
            return p.answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof SQLException s) throw new StorageException(s);
            throw new StorageException(new SQLException("group commit failed", cause));
        } catch (TimeoutException e) {
            throw new StorageException(new SQLException("no commit within " + ANSWER_TIMEOUT_SECONDS + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(new SQLException("interrupted while waiting for the commit"));
        }
    }

    /** Writes handed over and not yet taken into a batch. */
    int waiting() {
        return queue.size();
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (closed) batch.remove(wake); // only close() puts it there, after setting closed
                if (!batch.isEmpty()) commit(batch);
            } catch (InterruptedException e) {
                closed = true;
            } catch (RuntimeException | Error e) {
                for (Pending<?> p : batch) p.answer.completeExceptionally(e);
            } finally {
                batch.clear();
            }
        }
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            p.answer.completeExceptionally(new SQLException(NOT_RUN));
        }
    }

    /** One transaction for the batch; on any failure, each write again alone. */
    private void commit(List<Pending<?>> batch) {
        long start = System.nanoTime();
        lock.run();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (runTogether(c, batch)) {
                    for (Pending<?> p : batch) p.complete();
                    return;
                }
                observer.retriedAlone();
                for (Pending<?> p : batch) runAlone(c, p);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            for (Pending<?> p : batch) p.answer.completeExceptionally(e);
        } finally {
            unlock.run();
            observer.committed(batch.size(), System.nanoTime() - start);
        }
    }

    private static boolean runTogether(Connection c, List<Pending<?>> batch) throws SQLException {
        try {
            for (Pending<?> p : batch) p.run(c);
            c.commit();
            return true;
        } catch (RuntimeException | SQLException e) {
            c.rollback();
            if (batch.size() == 1) {
                batch.get(0).answer.completeExceptionally(e);
                return true;
            }
            return false;
        }
    }

    private static void runAlone(Connection c, Pending<?> p) throws SQLException {
        try {
            p.run(c);
            c.commit();
            p.complete();
        } catch (RuntimeException | SQLException e) {
            c.rollback();
            p.answer.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.add(wake);
        try {
            writer.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
