package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** TSS.Java stays behind the module API: no public type, method or exception of ours mentions it. */
class PublicApiTest {

    @Test
    void noPublicSignatureOfTheDeviceApiMentionsTssJava() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> classes = apiClasses();
        assertTrue(classes.size() > 10, "found the API classes: " + classes);
        for (Class<?> type : classes) {
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            List<Executable> members = new ArrayList<>();
            members.addAll(Arrays.asList(type.getDeclaredConstructors()));
            members.addAll(Arrays.asList(type.getDeclaredMethods()));
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers())) {
                    continue;
                }
                Stream.of(member.getGenericParameterTypes()).forEach(t -> check(t, member, leaks));
                Stream.of(member.getGenericExceptionTypes()).forEach(t -> check(t, member, leaks));
                if (member instanceof java.lang.reflect.Method m) {
                    check(m.getGenericReturnType(), member, leaks);
                }
            }
            Stream.of(type.getFields()).forEach(f -> check(f.getGenericType(), f, leaks));
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void everyDeviceErrorIsACheckedTpmException() throws Exception {
        for (Class<?> type : apiClasses()) {
            if (Throwable.class.isAssignableFrom(type)) {
                assertTrue(TpmException.class.isAssignableFrom(type), type + " extends TpmException");
            }
        }
    }

    private static void check(Type type, Member where, List<String> leaks) {
        if (type.getTypeName().contains("tss.")) {
            leaks.add(where.getDeclaringClass().getSimpleName() + "." + where.getName() + ": " + type.getTypeName());
        }
    }

    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(TpmConnection.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/stationtrust/tpm");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                classes.add(Class.forName("org.stationtrust.tpm." + name));
            }
        }
        classes.add(org.stationtrust.tpm.simulator.SoftwareTpm.class);
        return classes;
    }
}
