package org.stationtrust.ctk.internal.catalogue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.ctk.internal.check.Checks;

/** The words a catalogue entry may use; anything else is a typo that would silently skip a check. */
public final class CatalogueVocabulary {

    public static final Set<String> METHODS = Set.of("MOSIPDISC", "MOSIPDINFO", "RCAPTURE", "CAPTURE", "STREAM");
    public static final Set<String> PURPOSES = Set.of("Registration", "Auth", "Any");
    public static final Set<String> CATEGORIES = Set.of("discovery", "device-info", "device-status",
            "registration-capture", "auth-capture", "bio-count-mismatch", "timeout-without-input",
            "timeout-with-input", "key-rotation", "iso-19794", "stream-with-capture", "quality-check",
            "time-check", "invalid-transaction-id", "invalid-request", "hash-chain", "quality-assessment",
            "stream", "robustness");
    /** SBI 0.9.5 §Device Digital ID: subtypes allowed per modality. */
    public static final Map<String, Set<String>> SUBTYPES = Map.of(
            "Finger", Set.of("Slap", "Single", "Touchless"),
            "Iris", Set.of("Single", "Double"),
            "Face", Set.of("Full face"));
    public static final Set<String> BIO_SUBTYPES = Set.of("Left IndexFinger", "Left MiddleFinger",
            "Left RingFinger", "Left LittleFinger", "Left Thumb", "Right IndexFinger", "Right MiddleFinger",
            "Right RingFinger", "Right LittleFinger", "Right Thumb", "Left", "Right", "UNKNOWN");
    public static final Set<String> PROBES = Set.of("malformed-json", "empty-body", "wrong-shape", "not-utf8",
            "deep-nesting", "oversized", "unknown-verb", "wrong-path", "unknown-device", "concurrent-capture",
            "slow-client");

    private CatalogueVocabulary() {
    }

    public static void check(TestCase c) {
        require(PURPOSES.contains(c.purpose()), c, "purpose '" + c.purpose() + "' is not one of " + PURPOSES);
        require(CATEGORIES.contains(c.category()), c, "category '" + c.category() + "' is unknown");
        require("0.9.5".equals(c.specVersion()), c, "specVersion must be 0.9.5, was " + c.specVersion());
        for (String m : c.methods()) {
            require(METHODS.contains(m), c, "method '" + m + "' is not an SBI verb " + METHODS);
        }
        for (String v : c.validators()) {
            require(Checks.NAMES.contains(v), c, "validator '" + v + "' is unknown; known: " + Checks.NAMES);
        }
        for (String t : c.deviceTypes()) {
            require(SUBTYPES.containsKey(t), c, "device type '" + t + "' is unknown");
        }
        for (String s : c.deviceSubTypes()) {
            boolean known = c.deviceTypes().stream().anyMatch(t -> SUBTYPES.get(t).contains(s));
            require(known, c, "device subtype '" + s + "' does not belong to " + c.deviceTypes());
        }
        for (String b : concat(c.request().bioSubType(), c.request().exception())) {
            require(BIO_SUBTYPES.contains(b), c, "bioSubType '" + b + "' is not an SBI 0.9.5 name");
        }
        String probe = c.request().probe();
        require(probe == null || PROBES.contains(probe), c, "robustness probe '" + probe + "' is unknown");
        require(!c.needsOperator() || !c.humanSteps().isEmpty(), c, "a case that needs an operator must say what to do");
        for (String m : c.mosipIds()) {
            require(m.matches("SBI1[01]\\d\\d"), c, "MOSIP id '" + m + "' is not SBI1000-SBI1199");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void require(boolean ok, TestCase c, String problem) {
        if (!ok) {
            throw new InvalidCatalogue("case " + c.id() + ": " + problem);
        }
    }
}
