package org.stationtrust.agent.internal.server;

import java.util.Map;

/** Headers that authenticate one request to the server (the TPM-signed {@code X-Station-Signature}, or none before enrollment). */
@FunctionalInterface
public interface RequestSigning {
    RequestSigning NONE = (method, path, body) -> Map.of();

    Map<String, String> headers(String method, String path, byte[] body);
}
