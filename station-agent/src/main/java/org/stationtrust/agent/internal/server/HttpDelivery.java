package org.stationtrust.agent.internal.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.stationtrust.agent.internal.queue.Delivery;
import org.stationtrust.agent.internal.queue.OutboundItem;

/**
 * Delivers queued messages by POSTing them to the server with an {@code Idempotency-Key} header, so a
 * resend after a lost reply is recognised by the server. 2xx is delivered; 409 (already received) and 413 are
 * told apart so a batch can be split.
 */
public final class HttpDelivery implements Delivery {
    /** Delivery answers are not read; a longer body only fails the exchange, which is retried. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private final ServerExchange exchange;
    private final URI base;
    private final RequestSigning signing;
    private final Duration timeout;

    public HttpDelivery(HttpClient http, URI base, RequestSigning signing, Duration timeout) {
        this.exchange = new ServerExchange(http, timeout);
        this.base = base;
        this.signing = signing;
        this.timeout = timeout;
    }

    @Override
    public Outcome deliver(OutboundItem item) {
        String path = ServerPaths.join(base, item.path());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.getScheme() + "://" + base.getRawAuthority() + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", item.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(item.body()));
        signing.headers("POST", path, item.body()).forEach(request::header);
        try {
            int code = exchange.send(request.build(), MAX_ANSWER_BYTES).status();
            if (code / 100 == 2) return new Delivered();
            if (code == 409) return new Conflict("server answered HTTP 409: already received under this id");
            if (code == 413) return new TooLarge("server answered HTTP 413: the body is larger than it accepts");
            if (code == 408 || code == 429 || code / 100 == 5) return new RetryLater("server answered HTTP " + code);
            // A server without this endpoint (older version) keeps the message waiting, never dropped or parked.
            if (code == 404) return new RetryLater("the server has no " + path + " endpoint (HTTP 404); kept until it does");
            if (code == 401 || code == 403) return new RetryLater("server refused the station's signature (HTTP " + code
                    + "); waiting for attestation or approval");
            return new Refused("server refused the message with HTTP " + code);
        } catch (ServerUnreachable e) {
            return new RetryLater("server unreachable: " + e.getMessage());
        }
    }
}
