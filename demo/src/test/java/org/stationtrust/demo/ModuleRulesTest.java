package org.stationtrust.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The module rules of docs/design.md, held on the production classes of every module. */
class ModuleRulesTest {

    /** Root package of each module that has an internal API boundary. */
    private static final List<String> MODULE_ROOTS = List.of(
            "org.stationtrust.tpm",
            "org.stationtrust.logging",
            "org.stationtrust.protocol",
            "org.stationtrust.sbi.client",
            "org.stationtrust.sbi.simulator",
            "org.stationtrust.server",
            "org.stationtrust.agent",
            "org.stationtrust.ctk",
            "org.stationtrust.scanner");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.stationtrust");
    }

    @Test
    void everyModuleContributesClassesToTheCheck() {
        for (String root : MODULE_ROOTS) {
            boolean present = production.stream().anyMatch(c -> c.getPackageName().startsWith(root));
            assertTrue(present, "no production class found under " + root
                    + ": the rules below would pass vacuously for it");
        }
    }

    @Test
    void theLoggingModuleDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.stationtrust.logging..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.stationtrust.tpm..", "org.stationtrust.protocol..", "org.stationtrust.sbi..",
                        "org.stationtrust.server..", "org.stationtrust.agent..", "org.stationtrust.ctk..",
                        "org.stationtrust.scanner..", "org.stationtrust.demo..", "org.stationtrust.testsupport..")
                .check(production);
    }

    /** One redaction policy (docs/logging.md): no module keeps its own list of secrets or its own log line format. */
    @Test
    void onlyTheLoggingModuleDefinesRedactionOrALogLineFormat() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that().haveSimpleNameContaining("Redact")
                .should().resideInAPackage("org.stationtrust.logging..")
                .check(production);
        noClasses().that().resideOutsideOfPackage("org.stationtrust.logging..")
                .should().beAssignableTo("ch.qos.logback.core.encoder.Encoder")
                .orShould().beAssignableTo("ch.qos.logback.core.pattern.Converter")
                .orShould().beAssignableTo("ch.qos.logback.core.Layout")
                .check(production);
    }

    @Test
    void noProductionClassUsesTheTestSupportModule() {
        assertTrue(production.stream().anyMatch(c -> c.getPackageName().startsWith("org.stationtrust.testsupport")),
                "test-support is on this test's classpath, so the rule below is not vacuous");
        noClasses().that().resideOutsideOfPackage("org.stationtrust.testsupport..")
                .should().dependOnClassesThat().resideInAPackage("org.stationtrust.testsupport..")
                .check(production);
    }

    @Test
    void tpmDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.stationtrust.tpm..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.stationtrust.sbi..", "org.stationtrust.server..", "org.stationtrust.agent..",
                        "org.stationtrust.ctk..", "org.stationtrust.demo..")
                .check(production);
    }

    @Test
    void sbiClientDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.stationtrust.sbi.client..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.stationtrust.tpm..", "org.stationtrust.sbi.simulator..", "org.stationtrust.server..",
                        "org.stationtrust.agent..", "org.stationtrust.ctk..", "org.stationtrust.demo..")
                .check(production);
    }

    /** sbi-client's public API is what its users call; the transport and the verifiers behind it are internal. */
    @Test
    void sbiClientKeepsItsTransportRequestsAndVerifiersInternal() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that().resideInAPackage("org.stationtrust.sbi.client..")
                .and().haveSimpleNameEndingWith("Verifier").or().haveSimpleNameStartingWith("Sbi")
                .and().resideInAPackage("org.stationtrust.sbi.client..")
                .and().doNotHaveSimpleName("SbiClient").and().doNotHaveSimpleName("SbiClientConfig")
                .and().doNotHaveSimpleName("SbiTimestamp")
                .should().resideInAPackage("org.stationtrust.sbi.client.internal..")
                .check(production);
    }

    @Test
    void simulatorIsWrittenIndependentlyOfTheClient() {
        noClasses().that().resideInAPackage("org.stationtrust.sbi.simulator..")
                .should().dependOnClassesThat().resideInAPackage("org.stationtrust.sbi.client..")
                .check(production);
    }

    @Test
    void nothingButTheDemoDependsOnTheAgentOrTheServer() {
        ArchRule agent = noClasses()
                .that().resideOutsideOfPackages("org.stationtrust.agent..", "org.stationtrust.demo..")
                .should().dependOnClassesThat().resideInAPackage("org.stationtrust.agent..");
        ArchRule server = noClasses()
                .that().resideOutsideOfPackages("org.stationtrust.server..", "org.stationtrust.demo..")
                .should().dependOnClassesThat().resideInAPackage("org.stationtrust.server..");
        agent.check(production);
        server.check(production);
    }

    @ParameterizedTest(name = "internal packages of {0} are used only inside it")
    @ValueSource(strings = {
            "org.stationtrust.tpm", "org.stationtrust.sbi.client", "org.stationtrust.sbi.simulator",
            "org.stationtrust.server", "org.stationtrust.agent", "org.stationtrust.ctk", "org.stationtrust.scanner"})
    void internalPackagesAreNotUsedAcrossModules(String root) {
        noClasses().that().resideOutsideOfPackage(root + "..")
                .should().dependOnClassesThat().resideInAPackage(root + "..internal..")
                .allowEmptyShould(true)
                .check(production);
    }

    @Test
    void theStationProtocolDependsOnNothingOfOursAndOnlyTheAgentAndTheServerUseIt() {
        noClasses().that().resideInAPackage("org.stationtrust.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.stationtrust.tpm..", "org.stationtrust.sbi..", "org.stationtrust.server..",
                        "org.stationtrust.agent..", "org.stationtrust.ctk..", "org.stationtrust.demo..",
                        "org.stationtrust.scanner..", "org.stationtrust.installer..")
                .check(production);
        noClasses().that().resideOutsideOfPackages("org.stationtrust.protocol..", "org.stationtrust.agent..",
                        "org.stationtrust.server..")
                .should().dependOnClassesThat().resideInAPackage("org.stationtrust.protocol..")
                .check(production);
    }

    /**
     * The wire contract is written once: no class outside station-protocol declares a constant whose value is one of
     * the protocol's routes, JWS types, header names or qualifying-data prefix. A field that takes its value from the
     * protocol (its static initialiser sets it) is an alias and allowed; a literal constant (no initialiser write,
     * javac inlines it) is a second copy.
     */
    @Test
    void onlyTheStationProtocolDefinesWireConstants() {
        java.util.Set<String> wire = WireConstants.values();
        assertTrue(wire.contains("/api/v1/packets") && wire.contains("X-Station-Signature")
                && wire.contains("capture-packet+jws"), "the wire constants were not collected: " + wire);
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields()
                .that().areDeclaredInClassesThat().resideOutsideOfPackage("org.stationtrust.protocol..")
                .and().areStatic().and().areFinal().and().haveRawType(String.class)
                .should(WireConstants.notHoldALiteralWireConstant(wire))
                .check(production);
    }

    @Test
    void theWireConstantRuleCatchesALiteralCopy() {
        JavaClasses copy = new ClassFileImporter().importClasses(WireConstants.LiteralCopy.class);
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields()
                .that().areStatic().and().areFinal().and().haveRawType(String.class)
                .should(WireConstants.notHoldALiteralWireConstant(WireConstants.values()));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> rule.check(copy),
                "a literal copy of a route must break the rule");
    }

    /**
     * The agent's local API answers records, never {@code Map<String, Object>}: no method of its API package takes or
     * returns a type that involves {@link java.util.Map} (an answer's fields are fixed in the code, docs can list them).
     */
    @Test
    void theAgentsLocalApiAnswersRecordsNotMaps() {
        noMapsAtTheApi("org.stationtrust.agent.internal.api..").check(production);
    }

    @Test
    void theNoMapRuleCatchesAMapAnswer() {
        JavaClasses loose = new ClassFileImporter().importClasses(LooseApi.class);
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> noMapsAtTheApi("org.stationtrust.demo..").check(loose), "a Map answer must break the rule");
    }

    /** An API the way the rule forbids it. */
    static final class LooseApi {
        java.util.List<java.util.Map<String, Object>> devices() {
            return java.util.List.of();
        }
    }

    private static ArchRule noMapsAtTheApi(String apiPackage) {
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
                .that().areDeclaredInClassesThat().resideInAPackage(apiPackage)
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaMethod>(
                        "not take or return a Map") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMethod method,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        java.util.stream.Stream<com.tngtech.archunit.core.domain.JavaType> types = java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(method.getReturnType()), method.getParameterTypes().stream());
                        boolean map = types.anyMatch(t -> t.getAllInvolvedRawTypes().stream()
                                .anyMatch(raw -> raw.isAssignableTo(java.util.Map.class)));
                        if (map) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(method,
                                    method.getFullName() + " takes or returns a Map: answer a record instead"));
                        }
                    }
                });
    }

    /**
     * Neither the server nor the agent answers with a {@code Map<String, Object>} (docs/server-api.md: every answer's
     * fields are fixed in a record): no class that answers JSON ({@code Context.json}) builds a map or a JSON object
     * tree in a method (a lambda's body is a method of its class), and no method or field of the server, or of the
     * agent's API package, has a type that is, or holds, a map to {@code Object} or to {@code ?}. (The agent's audit
     * log takes an event's fields as such a map: a log line, not an answer.)
     */
    @Test
    void theServerAndTheAgentAnswerRecordsNotMaps() {
        noLooseAnswers("org.stationtrust.server..", "org.stationtrust.server..").check(production);
        noLooseAnswers("org.stationtrust.agent..", "org.stationtrust.agent.internal.api..").check(production);
    }

    @Test
    void theLooseAnswerRuleCatchesAMapAnswerAndAMapBuiltForContextJson() {
        JavaClasses loose = new ClassFileImporter().importClasses(LooseAnswers.class, LooseRoute.class);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> noLooseAnswers("org.stationtrust.demo..", "org.stationtrust.demo..").check(loose));
        for (String expected : new String[] {"LooseAnswers.machine()", "LooseAnswers.machines()",
                "LooseAnswers.status(java.util.Map)", "LooseAnswers.cache", "LooseRoute calls java.util.Map.of",
                "LooseRoute constructs java.util.LinkedHashMap"}) {
            assertTrue(e.getMessage().contains(expected), "the rule misses " + expected + ": " + e.getMessage());
        }
    }

    /** Answers typed the way the rule forbids. */
    @SuppressWarnings("unused")
    static final class LooseAnswers {
        private final java.util.Map<String, ?> cache = java.util.Map.of();

        java.util.Map<String, Object> machine() {
            return java.util.Map.of();
        }

        java.util.List<java.util.Map<String, Object>> machines() {
            return java.util.List.of();
        }

        void status(java.util.Map<String, Object> out) {
        }
    }

    /** A route answering a map it builds in a lambda, its signatures all clean. */
    static final class LooseRoute {
        void register(io.javalin.config.RoutesConfig routes) {
            routes.get("/health", ctx -> ctx.json(java.util.Map.of("status", "ok")));
            routes.get("/ready", ctx -> {
                java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
                out.put("status", "ready");
                ctx.json(out);
            });
        }
    }

    /** Classes in {@code answering} build no map to answer; members in {@code typed} have no map-to-Object type. */
    private static ArchRule noLooseAnswers(String answering, String typed) {
        // jte's generated templates take named parameters as a Map<String, Object> (renderMap): generated, not answers
        ArchRule types = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members()
                .that().areDeclaredInClassesThat().resideInAPackage(typed)
                .and().areDeclaredInClassesThat().resideOutsideOfPackage("org.stationtrust.server.internal.web.templates..")
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaMember>(
                        "not have a type that is or holds a map to Object or ?") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMember member,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        java.util.List<com.tngtech.archunit.core.domain.JavaType> types = new java.util.ArrayList<>();
                        if (member instanceof com.tngtech.archunit.core.domain.JavaField f) types.add(f.getType());
                        if (member instanceof com.tngtech.archunit.core.domain.JavaMethod m) {
                            types.add(m.getReturnType());
                            types.addAll(m.getParameterTypes());
                        }
                        if (member instanceof com.tngtech.archunit.core.domain.JavaConstructor c) {
                            types.addAll(c.getParameterTypes());
                        }
                        if (types.stream().anyMatch(ModuleRulesTest::looseMap)) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(member,
                                    member.getFullName() + " has a Map<?, Object> type: answer a record instead"));
                        }
                    }
                });
        ArchRule built = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that().resideInAPackage(answering)
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaClass>(
                        "not build a map or a JSON object tree when it answers JSON") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaClass c,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        boolean answers = c.getMethodCallsFromSelf().stream().anyMatch(call -> call.getName().equals("json")
                                && call.getTargetOwner().isAssignableTo("io.javalin.http.Context"));
                        if (!answers) return;
                        // a map made in a constructor or a static initialiser is the class's state, not an answer
                        c.getMethodCallsFromSelf().stream().filter(call -> inAMethod(call) && (call.getTargetOwner()
                                .getName().equals("java.util.Map") || call.getName().equals("createObjectNode")
                                || call.getName().equals("objectNode"))).forEach(call -> events.add(looseAnswer(c,
                                "calls " + call.getTargetOwner().getName() + "." + call.getName(), call)));
                        c.getConstructorCallsFromSelf().stream().filter(call -> inAMethod(call) && (call.getTargetOwner()
                                .isAssignableTo(java.util.Map.class) || call.getTargetOwner().isAssignableTo(
                                "com.fasterxml.jackson.databind.node.ObjectNode"))).forEach(call -> events.add(
                                looseAnswer(c, "constructs " + call.getTargetOwner().getName(), call)));
                    }
                });
        return com.tngtech.archunit.lang.CompositeArchRule.of(types).and(built);
    }

    private static boolean inAMethod(com.tngtech.archunit.core.domain.JavaAccess<?> call) {
        return call.getOrigin() instanceof com.tngtech.archunit.core.domain.JavaMethod;
    }

    private static com.tngtech.archunit.lang.ConditionEvent looseAnswer(
            com.tngtech.archunit.core.domain.JavaClass c, String what, com.tngtech.archunit.core.domain.JavaAccess<?> call) {
        return com.tngtech.archunit.lang.SimpleConditionEvent.violated(c, c.getName() + " " + what + " in "
                + call.getSourceCodeLocation() + " and answers JSON: answer a record instead");
    }

    /** A map whose values are {@code Object} or a wildcard, or a type holding one (a list of such maps). */
    private static boolean looseMap(com.tngtech.archunit.core.domain.JavaType type) {
        if (type instanceof com.tngtech.archunit.core.domain.JavaParameterizedType p) {
            java.util.List<com.tngtech.archunit.core.domain.JavaType> args = p.getActualTypeArguments();
            if (p.toErasure().isAssignableTo(java.util.Map.class) && args.size() == 2) {
                com.tngtech.archunit.core.domain.JavaType value = args.get(1);
                if (value instanceof com.tngtech.archunit.core.domain.JavaWildcardType
                        || value.toErasure().getName().equals("java.lang.Object")) {
                    return true;
                }
            }
            return args.stream().anyMatch(ModuleRulesTest::looseMap);
        }
        return false;
    }

    /**
     * No route class of the server takes the whole set of server parts ({@code Components}): each is handed only what
     * it uses, in its own {@code Parts} record, by the server's one wiring class.
     */
    @Test
    void noServerRouteClassTakesTheWholeComponents() {
        String components = "org.stationtrust.server.internal.api.Components";
        assertTrue(production.stream().anyMatch(c -> c.getName().equals(components)), "the rule has its type to look for");
        noClasses().that().resideInAnyPackage("org.stationtrust.server.internal..")
                .and().doNotHaveFullyQualifiedName(components)
                .should().dependOnClassesThat().haveFullyQualifiedName(components)
                .check(production);
    }

    /**
     * Station requests and attestation read the narrow view of a machine ({@code StationMachine}: identity, state, AK,
     * PCR policy columns, attestation status), and enrollment its pending view ({@code PendingEnrollment}), never the
     * operators' view with its EK certificate and decision history ({@code MachineDetail}).
     */
    @Test
    void stationRequestsAttestationAndEnrollmentUseTheirOwnViewsOfAMachine() {
        String detail = "org.stationtrust.server.internal.store.MachineDetail";
        assertTrue(production.stream().anyMatch(c -> c.getName().equals(detail)), "the rule has its type to look for");
        noClasses().that().resideInAnyPackage("org.stationtrust.server.internal.station..",
                        "org.stationtrust.server.internal.attest..")
                .or().haveFullyQualifiedName("org.stationtrust.server.internal.enroll.EnrollmentService")
                .should().dependOnClassesThat().haveFullyQualifiedName(detail)
                .check(production);
    }

    /**
     * Fields of station-agent that may hold static mutable state, each with its reason. Everything else shared across
     * instances is passed in as an instance (no per-thread counters, no static caches).
     */
    private static final java.util.Map<String, String> AGENT_STATIC_STATE_ALLOWED = java.util.Map.of();

    /** No static mutable state in station-agent outside {@link #AGENT_STATIC_STATE_ALLOWED}. */
    @Test
    void theAgentKeepsNoStaticMutableState() {
        noStaticMutableState("org.stationtrust.agent..", AGENT_STATIC_STATE_ALLOWED.keySet()).check(production);
        for (String allowed : AGENT_STATIC_STATE_ALLOWED.keySet()) {
            assertTrue(production.stream().flatMap(c -> c.getFields().stream()).anyMatch(f -> f.getFullName().equals(allowed)),
                    "the allow-list names a field that no longer exists: " + allowed);
        }
    }

    @Test
    void theStaticStateRuleCatchesACounterAThreadLocalAndAnArray() {
        JavaClasses shared = new ClassFileImporter().importClasses(SharedState.class);
        for (String field : new String[] {"COUNTER", "PER_THREAD", "CACHE", "BYTES", "count"}) {
            java.util.Set<String> others = new java.util.HashSet<>();
            for (String f : new String[] {"COUNTER", "PER_THREAD", "CACHE", "BYTES", "count"}) {
                if (!f.equals(field)) others.add(SharedState.class.getName() + "." + f);
            }
            org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                    () -> noStaticMutableState("org.stationtrust.demo..", others).check(shared),
                    field + " must break the rule");
        }
    }

    /** Static state the way the rule forbids it. */
    @SuppressWarnings("unused")
    static final class SharedState {
        private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();
        private static final ThreadLocal<long[]> PER_THREAD = ThreadLocal.withInitial(() -> new long[1]);
        private static final java.util.Map<String, Object> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
        private static final byte[] BYTES = new byte[1];
        private static int count;
    }

    private static final java.util.List<String> MUTABLE_TYPES = java.util.List.of("java.lang.ThreadLocal",
            "java.lang.InheritableThreadLocal", "java.util.Map", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.WeakHashMap", "java.util.IdentityHashMap", "java.util.EnumMap",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashSet", "java.util.TreeSet", "java.util.ArrayDeque",
            "java.util.Deque", "java.util.Queue", "java.util.BitSet", "java.lang.StringBuilder");

    private static boolean mutableType(com.tngtech.archunit.core.domain.JavaClass type) {
        return type.isArray() || type.getPackageName().startsWith("java.util.concurrent")
                || MUTABLE_TYPES.contains(type.getName());
    }

    private static ArchRule noStaticMutableState(String packages, java.util.Set<String> allowed) {
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields()
                .that().areDeclaredInClassesThat().resideInAPackage(packages).and().areStatic()
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaField>(
                        "hold no mutable state") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaField field,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        if (allowed.contains(field.getFullName()) || field.getName().startsWith("$")
                                || field.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.SYNTHETIC)) {
                            return;
                        }
                        boolean notFinal = !field.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.FINAL);
                        if (notFinal || mutableType(field.getRawType())) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(field, field.getFullName()
                                    + (notFinal ? " is static and not final" : " is static and of a mutable type "
                                    + field.getRawType().getName()) + ": pass an instance in instead"));
                        }
                    }
                });
    }

    /**
     * Exceptions are named for the failure, without an {@code Exception} suffix (as most of the codebase does:
     * {@code ServerRefused}, {@code MalformedJws}, {@code DeviceAnswerRejected}); held for the agent and the protocol.
     */
    @Test
    void theAgentsAndTheProtocolsExceptionsAreNamedForTheFailure() {
        ArchRule rule = noClasses().that().resideInAnyPackage("org.stationtrust.agent..", "org.stationtrust.protocol..")
                .and().areAssignableTo(Throwable.class)
                .should().haveSimpleNameEndingWith("Exception");
        rule.check(production);
        assertTrue(production.stream().anyMatch(c -> c.getPackageName().startsWith("org.stationtrust.agent")
                && c.isAssignableTo(Throwable.class)), "the rule has exceptions to judge");
    }
}
