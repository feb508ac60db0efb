package org.stationtrust.tpm.simulator;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one hermetic {@link SoftwareTpm} per test class (own temp dir, own CA, free ports) and stops
 * it after the class. Test constructors, lifecycle and test methods get it as a parameter:
 * <pre>{@code
 * @ExtendWith(SoftwareTpmExtension.class)
 * class SomethingTest {
 *     @Test void works(SoftwareTpm tpm) { ... TpmConnection.open(tpm.uri()) ... }
 * }
 * }</pre>
 */
public final class SoftwareTpmExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SoftwareTpmExtension.class);
    private static final String KEY = "softwareTpm";

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path dir = Files.createTempDirectory("swtpm-" + context.getRequiredTestClass().getSimpleName() + "-");
        context.getStore(NAMESPACE).put(KEY, new Running(SoftwareTpm.start(dir), dir));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).remove(KEY, Running.class);
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SoftwareTpm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).get(KEY, Running.class);
        if (running == null) {
            throw new IllegalStateException("no SoftwareTpm for " + context.getDisplayName()
                    + ": register SoftwareTpmExtension on the test class with @ExtendWith");
        }
        return running.tpm;
    }

    private record Running(SoftwareTpm tpm, Path dir) {
        void stop() {
            tpm.close();
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a leftover temp dir is harmless; the simulator itself is already stopped
        }
    }
}
