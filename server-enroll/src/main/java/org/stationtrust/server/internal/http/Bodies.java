package org.stationtrust.server.internal.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.stationtrust.protocol.ErrorCode;

/** Reads request bodies with a hard size bound, before any parsing. */
public final class Bodies {
    private Bodies() {
    }

    public static byte[] json(Context ctx, int maxBytes) {
        requireJson(ctx.contentType());
        return bytes(ctx, maxBytes);
    }

    /** Refuses a body whose declared type is not JSON ({@code 415 unsupported_media_type}). */
    public static void requireJson(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as Content-Type: application/json");
        }
    }

    /** A body already read whole, refused when it exceeds {@code maxBytes} ({@code 413 body_too_large}). */
    public static byte[] bounded(byte[] body, int maxBytes) {
        if (body.length > maxBytes) throw tooLarge(maxBytes);
        return body;
    }

    public static byte[] bytes(Context ctx, int maxBytes) {
        Object cached = ctx.attribute("body.bytes");
        if (cached instanceof byte[] b) return b;
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(maxBytes);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = declared >= 0 ? exactly(in, (int) declared) : in.readNBytes(maxBytes + 1);
            if (b.length > maxBytes) throw tooLarge(maxBytes);
            ctx.attribute("body.bytes", b);
            return b;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Request body could not be read");
        }
    }

    /**
     * A body of a declared length read into one array of that length (reading in the stream's 8 KiB steps cost
     * 8 KiB of garbage per request); a body that ends early or runs past its length is refused.
     */
    private static byte[] exactly(InputStream in, int declared) throws IOException {
        byte[] b = new byte[declared];
        int n = in.readNBytes(b, 0, declared);
        if (n < declared) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Request body ended after " + n + " of its declared "
                    + declared + " bytes");
        }
        if (in.read() != -1) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Request body is longer than its declared " + declared
                    + " bytes");
        }
        return b;
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(ErrorCode.BODY_TOO_LARGE, "Request body exceeds " + maxBytes + " bytes");
    }
}
