package org.stationtrust.agent.internal.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.stationtrust.agent.PinnedTls;
import org.stationtrust.agent.PublicKeyPin;

/** Builds the one HTTP client the agent uses for the server: TLS pinned, or plain http to loopback in development only. */
public final class ServerHttp {
    private ServerHttp() {
    }

    public static HttpClient client(URI server, List<PublicKeyPin> pins, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if ("https".equals(server.getScheme())) {
            // Without pins (development mode only, refused by the configuration otherwise) the JDK's CA trust applies.
            if (!pins.isEmpty()) builder.sslContext(PinnedTls.context(pins));
        } else if (!"http".equals(server.getScheme())) {
            throw new IllegalArgumentException("unsupported server scheme " + server.getScheme());
        }
        return builder.build();
    }
}
