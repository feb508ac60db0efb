package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.catalogue.CatalogueVocabulary;
import org.stationtrust.ctk.internal.catalogue.InvalidCatalogue;
import org.stationtrust.ctk.internal.check.Checks;

class CatalogueTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalogue CATALOGUE = Catalogue.builtIn();

    @Test
    void everyCaseHasAUniqueIdKnownValidatorsAndKnownMethods() {
        Set<String> ids = new HashSet<>();
        for (TestCase c : CATALOGUE.cases()) {
            assertTrue(ids.add(c.id()), "duplicate " + c.id());
            assertTrue(Checks.NAMES.containsAll(c.validators()), c.id() + " " + c.validators());
            assertTrue(CatalogueVocabulary.METHODS.containsAll(c.methods()), c.id() + " " + c.methods());
            assertEquals("0.9.5", c.specVersion());
            assertFalse(c.description().isBlank());
        }
    }

    @Test
    void accountsForEveryMosipIdFrom1000To1199() {
        Map<String, String> mapping = CATALOGUE.mosipMapping();
        for (int i = 1000; i <= 1199; i++) {
            String target = mapping.get("SBI" + i);
            assertTrue(target != null && !target.isBlank(), "SBI" + i + " is not accounted for");
        }
        assertEquals(200, mapping.keySet().stream().filter(k -> k.matches("SBI1[01]\\d\\d")).count());
    }

    @Test
    void hasOurOwnStreamAndRobustnessCasesBeyondMosip() {
        long stream = CATALOGUE.cases().stream().filter(c -> c.category().equals("stream") && c.mosipIds().isEmpty()).count();
        long robust = CATALOGUE.cases().stream().filter(c -> c.category().equals("robustness")).count();
        assertTrue(stream >= 4, "stream cases: " + stream);
        assertTrue(robust >= 8, "robustness cases: " + robust);
    }

    @Test
    void operatorCasesSayWhatThePersonMustDo() {
        for (TestCase c : CATALOGUE.select(TestCase::needsOperator)) {
            assertFalse(c.humanSteps().isEmpty(), c.id());
        }
        assertTrue(CATALOGUE.select(c -> c.category().equals("quality-assessment")).stream().allMatch(TestCase::needsOperator));
    }

    @Test
    void printsTheCountsPerPurposeTypeAndCategory() {
        Map<String, Map<String, Integer>> summary = CATALOGUE.summary();
        System.out.println("catalogue: " + CATALOGUE.cases().size() + " cases " + summary);
        assertEquals(CATALOGUE.cases().size(), summary.get("purpose").values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(84, summary.get("category").get("quality-assessment"));
    }

    private static InputStream mutated(Consumer<ObjectNode> change) throws Exception {
        ObjectNode root;
        try (InputStream in = Catalogue.class.getResourceAsStream("/catalogue/sbi-0.9.5.json")) {
            root = (ObjectNode) JSON.readTree(in);
        }
        change.accept(root);
        return new ByteArrayInputStream(JSON.writeValueAsBytes(root));
    }

    private static ObjectNode firstCase(ObjectNode root) {
        return (ObjectNode) root.withArray("cases").get(0);
    }

    @Test
    void rejectsADuplicateId() {
        var e = assertThrows(InvalidCatalogue.class, () -> Catalogue.load(mutated(r -> {
            ArrayNode cases = r.withArray("cases");
            cases.add(cases.get(0).deepCopy());
        })));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownValidator() {
        var e = assertThrows(InvalidCatalogue.class, () -> Catalogue.load(mutated(r ->
                firstCase(r).withArray("validators").add("signatur"))));
        assertTrue(e.getMessage().contains("validator 'signatur' is unknown"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownMethod() {
        var e = assertThrows(InvalidCatalogue.class, () -> Catalogue.load(mutated(r ->
                firstCase(r).withArray("methods").add("POST"))));
        assertTrue(e.getMessage().contains("not an SBI verb"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownField() {
        assertThrows(InvalidCatalogue.class, () -> Catalogue.load(mutated(r -> firstCase(r).put("validator", "x"))));
    }

    @Test
    void rejectsACatalogueThatDropsAMosipId() {
        var e = assertThrows(InvalidCatalogue.class, () -> Catalogue.load(mutated(r -> firstCase(r).putArray("mosipIds"))));
        assertTrue(e.getMessage().contains("SBI1000"), e.getMessage());
    }

    @Test
    void acceptsAMosipIdMarkedNotApplicableWithAReason() throws Exception {
        Catalogue c = Catalogue.load(mutated(r -> {
            firstCase(r).putArray("mosipIds");
            r.withArray("mosipNotApplicable").addObject().put("id", "SBI1000").put("reason", "testing the rule");
        }));
        assertEquals("not applicable: testing the rule", c.mosipMapping().get("SBI1000"));
    }
}
