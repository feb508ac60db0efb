package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples are code: each {@code ```java} block compiles against this library's public API, as
 * the body of a method in a class outside the library's packages (so nothing package-private or internal is reachable
 * without the compiler saying so).
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            package readme.example;

            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.List;
            import org.stationtrust.sbi.client.*;
            """;

    @TempDir
    Path out;

    @Test
    void everyJavaBlockOfTheReadmeCompilesAgainstThePublicApi() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<JavaFileObject> sources = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme);
        while (m.find()) {
            String name = "Example" + sources.size();
            String code = IMPORTS + "\nclass " + name + " {\n    static void run() throws Exception {\n" + m.group(1)
                    + "\n    }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///readme/example/" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        assertFalse(sources.isEmpty(), "the README has no ```java block");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "a JDK (not a JRE) runs the tests");
        StringWriter diagnostics = new StringWriter();
        boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"),
                null, sources).call();
        assertTrue(compiled, "a README example does not compile:\n" + diagnostics);
    }
}
