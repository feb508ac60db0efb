package org.stationtrust.agent.internal.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.stationtrust.protocol.InvalidJsonBody;
import org.stationtrust.protocol.StrictJson;

/**
 * Request bodies at the edge: JSON content type, at most {@code api.max_body_bytes}, bound by the product's one strict
 * reader ({@link StrictJson}, shared with the server) to a request record.
 */
final class RequestBodies {
    /** How much of an oversized body is read and dropped so that its sender receives the 413. */
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;
    private final int maxBytes;

    RequestBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    <T> T read(Context ctx, Class<T> type) throws ApiRefusal {
        String contentType = Optional.ofNullable(ctx.contentType()).orElse("");
        if (!contentType.startsWith("application/json")) {
            throw new ApiRefusal(RefusalCode.UNSUPPORTED_MEDIA_TYPE,
                    "expected Content-Type: application/json, saw '" + clip(contentType) + "'");
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] bytes;
            try {
                bytes = StrictJson.readBounded(in, maxBytes);
            } catch (InvalidJsonBody e) {
                // Jetty 12 resets a connection whose body was left unread, and a client still sending it then sees
                // no answer: read and drop the rest, up to a bound, before refusing.
                drain(in);
                throw e;
            }
            return StrictJson.read(bytes, type);
        } catch (InvalidJsonBody e) {
            throw new ApiRefusal(RefusalCode.of(e.code()), e.getMessage());
        } catch (IOException e) {
            throw new ApiRefusal(RefusalCode.MALFORMED_JSON, "the request body could not be read");
        }
    }

    int maxBytes() {
        return maxBytes;
    }

    private static void drain(InputStream in) {
        byte[] sink = new byte[8192];
        long dropped = 0;
        try {
            int n;
            while (dropped < DRAIN_LIMIT && (n = in.read(sink)) > 0) dropped += n;
        } catch (IOException e) {
            // the sender is gone: nothing left to drop
        }
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
