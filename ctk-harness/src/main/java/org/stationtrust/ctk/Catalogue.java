package org.stationtrust.ctk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.stationtrust.ctk.internal.catalogue.CatalogueVocabulary;
import org.stationtrust.ctk.internal.catalogue.InvalidCatalogue;

/**
 * The test catalogue: data in {@code catalogue/sbi-0.9.5.json}, validated when loaded (unique ids,
 * known validators, methods, categories, device types, and the MOSIP id mapping).
 */
public final class Catalogue {

    /** The MOSIP compliance toolkit SBI 0.9.5 ids every catalogue must account for. */
    public static final int MOSIP_FIRST = 1000;
    public static final int MOSIP_LAST = 1199;
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final String BUILT_IN = "/catalogue/sbi-0.9.5.json";

    private final String specVersion;
    private final List<TestCase> cases;
    private final Map<String, String> mosipNotApplicable;
    private String version = "";
    private String sha256 = "";

    private Catalogue(String specVersion, List<TestCase> cases, Map<String, String> mosipNotApplicable) {
        this.specVersion = specVersion;
        this.cases = List.copyOf(cases);
        this.mosipNotApplicable = Map.copyOf(mosipNotApplicable);
    }

    /** The catalogue shipped in the jar. */
    public static Catalogue builtIn() {
        try (InputStream in = Catalogue.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new InvalidCatalogue("resource " + BUILT_IN + " is missing from the classpath; rebuild the jar");
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and validates a catalogue (at most 4 MiB of JSON). */
    public static Catalogue load(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new InvalidCatalogue("catalogue is larger than " + MAX_BYTES + " bytes; split it or raise the limit");
        }
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        JsonNode root = mapper.readTree(bytes);
        if (root == null || !root.isObject() || !root.path("cases").isArray()) {
            throw new InvalidCatalogue("catalogue must be a JSON object with a 'cases' array");
        }
        List<TestCase> cases = new ArrayList<>();
        for (JsonNode node : root.get("cases")) {
            try {
                cases.add(mapper.treeToValue(node, TestCase.class));
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidCatalogue("case " + node.path("id").asText("?") + " is invalid: " + e.getMessage());
            }
        }
        Map<String, String> notApplicable = new TreeMap<>();
        for (JsonNode na : root.path("mosipNotApplicable")) {
            notApplicable.put(na.path("id").asText(), na.path("reason").asText());
        }
        Catalogue catalogue = new Catalogue(root.path("specVersion").asText(), cases, notApplicable);
        catalogue.validate();
        catalogue.version = root.path("catalogueVersion").asText("");
        try {
            catalogue.sha256 = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        return catalogue;
    }

    private void validate() {
        Set<String> ids = new HashSet<>();
        for (TestCase c : cases) {
            if (!ids.add(c.id())) {
                throw new InvalidCatalogue("case id " + c.id() + " appears twice; ids must be unique");
            }
            CatalogueVocabulary.check(c);
        }
        for (Map.Entry<String, String> na : mosipNotApplicable.entrySet()) {
            if (na.getValue().isBlank()) {
                throw new InvalidCatalogue(na.getKey() + " is marked not applicable without a reason");
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = MOSIP_FIRST; i <= MOSIP_LAST; i++) {
            if (mosipMapping().get("SBI" + i) == null) {
                missing.add("SBI" + i);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidCatalogue("MOSIP ids not accounted for (map them to a case or mark them not applicable): "
                    + missing);
        }
    }

    /** The catalogue's own version (catalogueVersion), named in reports. */
    public String version() {
        return version;
    }

    /** SHA-256 (lower-case hex) of the catalogue JSON as read: names exactly which catalogue judged a run. */
    public String sha256() {
        return sha256;
    }

    public String specVersion() {
        return specVersion;
    }

    public List<TestCase> cases() {
        return cases;
    }

    /** For each MOSIP id: the ids of our cases that cover it, or "not applicable: reason". */
    public Map<String, String> mosipMapping() {
        Map<String, String> mapping = new TreeMap<>();
        for (TestCase c : cases) {
            for (String m : c.mosipIds()) {
                mapping.merge(m, c.id(), (a, b) -> a + ", " + b);
            }
        }
        mosipNotApplicable.forEach((id, reason) -> mapping.putIfAbsent(id, "not applicable: " + reason));
        return mapping;
    }

    public List<TestCase> select(Predicate<TestCase> filter) {
        return cases.stream().filter(filter).toList();
    }

    public TestCase byId(String id) {
        return cases.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new InvalidCatalogue("no case with id " + id + " in the catalogue"));
    }

    /** Number of cases per value of a key (a case listing several values counts once for each). */
    public static Map<String, Integer> countBy(Collection<TestCase> cases, Function<TestCase, List<String>> key) {
        Map<String, Integer> counts = new TreeMap<>();
        for (TestCase c : cases) {
            for (String k : key.apply(c)) {
                counts.merge(k, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Counts per purpose, per device type, per category, and of operator cases: for reports and the README. */
    public Map<String, Map<String, Integer>> summary() {
        Map<String, Map<String, Integer>> summary = new LinkedHashMap<>();
        summary.put("purpose", countBy(cases, c -> List.of(c.purpose())));
        summary.put("deviceType", countBy(cases, TestCase::deviceTypes));
        summary.put("category", countBy(cases, c -> List.of(c.category())));
        summary.put("operator", countBy(cases, c -> List.of(c.needsOperator() ? "needs operator" : "automatic")));
        return summary;
    }
}
