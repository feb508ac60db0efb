package org.stationtrust.sbi.client.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.JpegFrameStream;
import org.stationtrust.sbi.client.StreamPartReader;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * One bounded HTTP exchange with an SBI service on 127.0.0.1 (custom verbs through OkHttp). Every call
 * has a total deadline covering connect, request, and the whole body (a dripping device cannot hold a
 * caller), and the body is capped while it streams. No connection reuse and no silent retry: devices
 * close connections and send stray bytes after bodies, and a capture must never be sent twice.
 */
public final class SbiTransport {
    private static final JsonLog LOG = new JsonLog(SbiTransport.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** SBI services listen on the loopback address, not "localhost" (docs/sbi-protocol.md "Transport"). */
    public static final String HOST = "127.0.0.1";

    private final OkHttpClient base;
    private final long maxAnswerBytes;

    public SbiTransport(long maxAnswerBytes) {
        if (maxAnswerBytes < 1) {
            throw new IllegalArgumentException("maxAnswerBytes must be positive");
        }
        this.maxAnswerBytes = maxAnswerBytes;
        this.base = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.MILLISECONDS))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .proxy(Proxy.NO_PROXY)
                .connectTimeout(Duration.ZERO)
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .build();
    }

    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /** Sends {@code verb} with an optional JSON body; the answer must be HTTP 200 within {@code deadline}. */
    public SbiHttpAnswer exchange(int port, SbiVerb verb, byte[] jsonBody, Duration deadline)
            throws DeviceAnswerRejected {
        return exchange(port, verb, verb.name(), verb.path(), jsonBody, deadline);
    }

    /**
     * Sends any verb to any path (for compliance tests that probe unknown verbs); {@code kind} only
     * labels the answer.
     */
    public SbiHttpAnswer exchange(int port, SbiVerb kind, String verb, String path, byte[] jsonBody,
                                  Duration deadline) throws DeviceAnswerRejected {
        long start = System.nanoTime();
        try (Response response = call(port, verb, path, jsonBody, deadline)) {
            requireOk(response, verb);
            byte[] body = readCapped(response.body(), verb);
            long elapsed = System.nanoTime() - start;
            LOG.debug("sbi.exchange", "port", port, "verb", verb, "status", 200, "bytes", body.length,
                    "ms", elapsed / 1_000_000);
            return new SbiHttpAnswer(port, kind, body, elapsed);
        } catch (IOException e) {
            throw mapFailure(e, port, verb, start, deadline);
        }
    }

    /** Opens a STREAM; frames are read lazily by the returned stream, which the caller must close. */
    public JpegFrameStream openStream(int port, byte[] jsonBody, Duration deadline, int maxFrameBytes)
            throws DeviceAnswerRejected {
        long start = System.nanoTime();
        Response response = null;
        try {
            response = call(port, SbiVerb.STREAM.name(), SbiVerb.STREAM.path(), jsonBody, deadline);
            requireOk(response, SbiVerb.STREAM.name());
            ResponseBody body = response.body();
            StreamPartReader reader = new StreamPartReader(body.byteStream(), response.header("Content-Type"),
                    maxFrameBytes);
            return new JpegFrameStream(reader, response);
        } catch (IOException e) {
            closeQuietly(response);
            throw mapFailure(e, port, SbiVerb.STREAM.name(), start, deadline);
        } catch (DeviceAnswerRejected | RuntimeException e) {
            closeQuietly(response);
            throw e;
        }
    }

    private Response call(int port, String verb, String path, byte[] jsonBody, Duration deadline)
            throws IOException {
        long ms = Math.max(1, deadline.toMillis());
        Request request = new Request.Builder()
                .url("http://" + HOST + ":" + port + path)
                .method(verb, jsonBody == null ? null : RequestBody.create(jsonBody, JSON))
                .header("Connection", "close")
                .build();
        okhttp3.Call call = base.newCall(request);
        // The per-call total deadline (OkHttp call timeout) covers connect, write and the whole body.
        call.timeout().timeout(ms, TimeUnit.MILLISECONDS);
        return call.execute();
    }

    private static void requireOk(Response response, String verb) throws DeviceAnswerRejected {
        int code = response.code();
        if (code == 200) {
            return;
        }
        String hint = code == 405
                ? "the service does not accept " + verb + ": not an SBI 0.9.5 service (or another spec version)"
                : "the service answered " + verb + " with HTTP " + code + ", expected 200";
        throw new DeviceAnswerRejected(RejectionReason.HTTP_STATUS, hint);
    }

    private byte[] readCapped(ResponseBody body, String verb) throws IOException, DeviceAnswerRejected {
        long declared = body.contentLength();
        if (declared > maxAnswerBytes) {
            throw tooLarge(verb, "declares " + declared + " bytes");
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (true) {
            long read = source.read(buffer, 64 * 1024);
            if (read == -1) {
                break;
            }
            if (buffer.size() > maxAnswerBytes) {
                throw tooLarge(verb, "sent more than " + maxAnswerBytes + " bytes (reading stopped)");
            }
        }
        return buffer.readByteArray();
    }

    private DeviceAnswerRejected tooLarge(String verb, String seen) {
        return new DeviceAnswerRejected(RejectionReason.ANSWER_TOO_LARGE, "the " + verb + " answer " + seen
                + ", the cap is " + maxAnswerBytes + " bytes");
    }

    private static DeviceAnswerRejected mapFailure(IOException e, int port, String verb, long start,
                                                   Duration deadline) {
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        LOG.debug("sbi.exchange_failed", "port", port, "verb", verb, "ms", elapsedMs,
                "error", Redaction.deviceText(e.toString()));
        if (e instanceof ConnectException && elapsedMs < deadline.toMillis()) {
            return new DeviceAnswerRejected(RejectionReason.DEVICE_UNREACHABLE, "connection to " + HOST + ":"
                    + port + " was refused");
        }
        if (e instanceof InterruptedIOException || elapsedMs >= deadline.toMillis()) {
            return new DeviceAnswerRejected(RejectionReason.TIMEOUT, verb + " on port " + port
                    + " did not complete within " + deadline.toMillis() + " ms");
        }
        return new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, verb + " on port " + port
                + " did not get a valid HTTP answer (" + Redaction.deviceText(e.getMessage()) + ")", e);
    }

    private static void closeQuietly(Response response) {
        if (response != null) {
            response.close();
        }
    }
}
