package org.stationtrust.protocol;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The JSON readers of the protocol. Requests are read strictly (unknown fields, duplicate keys, type
 * coercions and trailing data refused); answers the same way except that unknown fields are skipped, so a
 * station keeps working when a newer server adds a field.
 */
public final class WireJson {
    private static final ObjectMapper STRICT = mapper(true);
    private static final ObjectMapper ANSWERS = mapper(false);

    private WireJson() {
    }

    /** The reader for what a party receives unasked (request bodies, JWS headers and payloads). */
    public static ObjectMapper strict() {
        return STRICT;
    }

    /** The reader for answers to a request this party made. */
    public static ObjectMapper answers() {
        return ANSWERS;
    }

    private static ObjectMapper mapper(boolean failOnUnknown) {
        JsonMapper.Builder b = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                // docs/server-api.md: duplicate keys are refused, also when binding to records (not only trees).
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // A request's integer field given 2.5 is refused, not truncated (docs/server-api.md: wrong types are refused).
        b = failOnUnknown ? b.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                : b.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ObjectMapper m = b.build();
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                .maxStringLength(9 * 1024 * 1024).build());
        return m;
    }
}
