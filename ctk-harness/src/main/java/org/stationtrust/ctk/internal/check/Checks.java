package org.stationtrust.ctk.internal.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every check, by the name the catalogue uses. */
public final class Checks {
    private static final Map<String, Check> BY_NAME = new LinkedHashMap<>();

    static {
        for (Check c : List.of(new SchemaCheck(), new SignatureCheck(), new TrustCheck(), new DigitalIdCheck(),
                new EchoCheck(), new BioSubTypeCheck(), new QualityRangeCheck(), new QualityThresholdCheck(),
                new TimestampCheck(), new HashChainCheck(), new ResponseTimeCheck(), new ErrorCodeCheck(),
                new DecryptionCheck(), new Iso19794Check(), new DeviceStatusCheck(), new KeyRotationCheck(), new TimeoutFloorCheck(), new MosipSchemaCheck(),
                new StreamCheck(), new StreamEndsCheck(), new RobustAnswerCheck(), new LivenessCheck())) {
            BY_NAME.put(c.name(), c);
        }
    }

    public static final Set<String> NAMES = Set.copyOf(BY_NAME.keySet());

    private Checks() {
    }

    public static Check named(String name) {
        Check c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no check named '" + name + "'; known: " + BY_NAME.keySet());
        }
        return c;
    }
}
