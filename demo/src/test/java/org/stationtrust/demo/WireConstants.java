package org.stationtrust.demo;

import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.stationtrust.protocol.JwsType;
import org.stationtrust.protocol.StationHeaders;
import org.stationtrust.protocol.StationRoute;

/** The station protocol's wire constants, and the ArchUnit condition that finds literal copies of them. */
final class WireConstants {
    private WireConstants() {
    }

    /** Every route template (and parameterless path), JWS type, header name and the enrollment qualifying-data prefix. */
    static Set<String> values() {
        Set<String> out = new HashSet<>();
        for (StationRoute r : StationRoute.values()) out.add(r.template());
        for (JwsType t : JwsType.values()) out.add(t.wire());
        for (Field f : StationHeaders.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    out.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        out.add("station-trust:enroll:");
        return out;
    }

    /** Violated by a static final String field holding a wire value that its class's initialiser does not set (a literal). */
    static ArchCondition<JavaField> notHoldALiteralWireConstant(Set<String> wire) {
        return new ArchCondition<>("not hold a literal copy of a station-protocol wire constant") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                boolean setByInitialiser = field.getAccessesToSelf().stream()
                        .anyMatch(a -> a.getAccessType() == JavaFieldAccess.AccessType.SET);
                if (setByInitialiser) return;
                Object value;
                try {
                    Field f = field.reflect();
                    f.setAccessible(true);
                    value = f.get(null);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    return;
                }
                if (value instanceof String s && wire.contains(s)) {
                    events.add(SimpleConditionEvent.violated(field, field.getFullName() + " = \"" + s
                            + "\" copies a station-protocol constant; use org.stationtrust.protocol instead"));
                }
            }
        };
    }

    /** The rule's own negative case: a literal copy of a route. */
    static final class LiteralCopy {
        static final String PACKETS = "/api/v1/packets";

        private LiteralCopy() {
        }
    }
}
