package org.stationtrust.sbi.client.internal;

/** The raw answer of one SBI exchange: HTTP 200 and a body no larger than the configured cap. */
public record SbiHttpAnswer(int port, SbiVerb verb, byte[] body, long elapsedNanos) {
    public SbiHttpAnswer {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body without a defensive copy, for parsers inside this library. */
    public byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public String toString() {
        return "SbiHttpAnswer[port=" + port + ", verb=" + verb + ", bytes=" + body.length + "]";
    }
}
