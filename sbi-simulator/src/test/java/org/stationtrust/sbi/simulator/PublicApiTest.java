package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public API is the root package only: no public signature lets an internal type escape. */
class PublicApiTest {
    private static final List<Class<?>> API = List.of(SbiSimulator.class, SimulatedDevice.class, SimulatedDevices.class,
            SimulatorConfig.class, SimulatorConfig.Builder.class, DeviceProviderCa.class, DeviceKey.class,
            DeviceKind.class, DeviceStatus.class, FaultMode.class, SimulatorException.class, Main.class);

    @Test
    void noPublicSignatureMentionsAnInternalType() {
        List<String> leaks = new ArrayList<>();
        API.forEach(c -> leaks.addAll(leaks(c)));
        assertEquals(List.of(), leaks);
    }

    @Test
    void theLeakDetectorSeesInternalTypes() {
        assertFalse(leaks(org.stationtrust.sbi.simulator.internal.DeviceService.class).isEmpty());
    }

    private static List<String> leaks(Class<?> c) {
        List<String> leaks = new ArrayList<>();
        Stream.concat(Stream.of(c.getDeclaredMethods()), Stream.of(c.getDeclaredConstructors()))
                .filter(e -> Modifier.isPublic(e.getModifiers()))
                .forEach(e -> {
                    for (Class<?> t : types(e)) {
                        if (t.getPackageName().endsWith(".internal")) {
                            leaks.add(c.getSimpleName() + "." + e.getName() + " uses " + t.getName());
                        }
                    }
                });
        return leaks;
    }

    private static List<Class<?>> types(Executable e) {
        List<Class<?>> out = new ArrayList<>(List.of(e.getParameterTypes()));
        if (e instanceof Method m) {
            out.add(m.getReturnType());
        }
        out.addAll(List.of(e.getExceptionTypes()));
        return out;
    }
}
