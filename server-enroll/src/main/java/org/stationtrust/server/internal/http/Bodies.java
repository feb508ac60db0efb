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
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as Content-Type: application/json");
        }
        return bytes(ctx, maxBytes);
    }

    public static byte[] bytes(Context ctx, int maxBytes) {
        Object cached = ctx.attribute("body.bytes");
        if (cached instanceof byte[] b) return b;
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(maxBytes);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes(maxBytes + 1);
            if (b.length > maxBytes) throw tooLarge(maxBytes);
            ctx.attribute("body.bytes", b);
            return b;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Request body could not be read");
        }
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(ErrorCode.BODY_TOO_LARGE, "Request body exceeds " + maxBytes + " bytes");
    }
}
