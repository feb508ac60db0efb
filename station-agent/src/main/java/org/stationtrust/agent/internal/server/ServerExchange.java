package org.stationtrust.agent.internal.server;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every call to the server, with one deadline for the whole exchange: connection, headers and body. On Java 17
 * {@link HttpRequest#timeout} ends at the response headers, so a server (or a half-open connection) that stalls
 * in the body would hold the caller, and the session's lock with it, forever. On the deadline the exchange is
 * cancelled and its connection closed.
 */
final class ServerExchange {
    /** An answer read to its end: status and body (at most the limit given). */
    record Answer(int status, byte[] body) {
    }

    private final HttpClient http;
    private final Duration deadline;

    ServerExchange(HttpClient http, Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline must be positive: " + deadline);
        this.http = http;
        this.deadline = deadline;
    }

    /** Sends {@code request} and reads the whole answer within the deadline, or fails with {@link ServerUnreachable}. */
    Answer send(HttpRequest request, int maxBodyBytes) throws ServerUnreachable {
        String what = request.method() + " " + request.uri();
        BoundedBody body = new BoundedBody(maxBodyBytes);
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, info -> body);
        try {
            HttpResponse<byte[]> response = future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            abort(future, body);
            throw new ServerUnreachable("the server did not complete its answer to " + what + " within "
                    + deadline.toSeconds() + " s (no answer, or an answer that stalled); the call was abandoned and is"
                    + " retried later; check the network and the server (server.timeout_seconds)", e);
        } catch (InterruptedException e) {
            abort(future, body);
            Thread.currentThread().interrupt();
            throw new ServerUnreachable("interrupted while calling the server (" + what + ")", e);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ServerUnreachable("cannot reach the enrollment server (" + what + "): " + describe(cause), cause);
        }
    }

    private static void abort(CompletableFuture<?> future, BoundedBody body) {
        body.cancel();
        future.cancel(true);
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.stationtrust.agent.PinnedTls.ServerCertificateNotPinned) return t.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    /** The body read into memory up to a limit: a longer one fails the exchange instead of filling the heap. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > limit) {
                    cancel();
                    result.completeExceptionally(new java.io.IOException("the server's answer exceeds " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        /** Stops reading: the client closes a connection whose body was not read to its end. */
        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }
    }
}
