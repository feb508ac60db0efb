package org.stationtrust.server.internal.boot;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.stationtrust.tpm.eventlog.SignatureEntry;

/**
 * How a {@link SignatureEntry} is written in the stored boot state and the API: {@code kind}, {@code sha256},
 * {@code subject}, {@code event}, in that order (a Jackson mix-in: the tpm module knows no JSON).
 */
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, fieldVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"kind", "sha256", "subject", "event"})
abstract class SignatureEntryJson {
    @JsonProperty("kind")
    abstract SignatureEntry.Kind kind();

    @JsonProperty("sha256")
    abstract String sha256();

    @JsonProperty("subject")
    abstract String subject();

    @JsonProperty("event")
    abstract int event();
}
