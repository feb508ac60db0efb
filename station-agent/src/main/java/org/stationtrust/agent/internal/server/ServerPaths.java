package org.stationtrust.agent.internal.server;

import java.net.URI;

/** Joins the configured server base path (e.g. {@code https://host/enroll}) with an API path. */
final class ServerPaths {
    private ServerPaths() {
    }

    static String join(URI base, String path) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        if (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        return prefix + path;
    }
}
