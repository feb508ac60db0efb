package org.stationtrust.agent.internal.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.InvalidConfiguration;
import org.stationtrust.agent.internal.config.ConfigLoader;

/**
 * One fuzz input becomes an {@code agent.yaml} (raw bytes, or YAML built from the known keys with fuzzed values,
 * YAML syntax, tags, anchors and unknown keys) plus {@code STATION_AGENT_*} environment overrides, including
 * the enrollment token from the environment or from a {@code _FILE} that may be private, shared, a directory,
 * a link, missing or a device. The loader must either build a configuration or throw {@link InvalidConfiguration}
 * with at least one problem, each naming a key and saying what is wrong; any other exception, a hang or an
 * out-of-memory is a finding, and so is the enrollment token appearing in a problem or in the configuration's
 * text.
 */
final class ConfigLoaderTarget {
    private static final String[] SNIPPETS = {"\n", ": ", "  ", "- ", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "!!str ", "!!binary ",
        "!!java.io.File ", "!!map ", "--- ", "...", "#", "\t", "? ", "|\n  ", ">\n  ", "<<: *a", "~", "null", "0x1F", "1e9", "-1",
        "99999999999999999999", ".inf", "NaN", "/", "../", "%", "é", "\u0000", "\uFEFF"};
    private static final String[] VALUES = {"development", "production", "/var/lib/station-agent", "st-1", "https://127.0.0.1:8443",
        "none", "swtpm:127.0.0.1:2321", "device:/dev/tpmrm0", "4501-4600", "[0, 1, 7]", "300", "0", "65536", "Staging",
        "http://127.0.0.1:1", "ab".repeat(32), "https://example.org"};
    private static final List<String> KEYS = List.copyOf(new java.util.TreeSet<>(ConfigLoader.KEYS));
    private static final String TOKEN_ENV = ConfigLoader.envName("server.enrollment_token");

    static final AtomicInteger LOADED = new AtomicInteger();
    static final AtomicInteger REFUSED = new AtomicInteger();
    private static ConfigLoaderTarget instance;

    private final Path dir;
    private final Path yaml;
    private final Path privateSecret;
    private final Path sharedSecret;

    private ConfigLoaderTarget(Path dir) throws IOException {
        this.dir = dir;
        this.yaml = dir.resolve("agent.yaml");
        this.privateSecret = dir.resolve("token-private");
        this.sharedSecret = dir.resolve("token-shared");
        Files.createSymbolicLink(dir.resolve("token-link"), privateSecret);
        Files.createDirectories(dir.resolve("token-dir"));
    }

    static synchronized ConfigLoaderTarget get() throws IOException {
        if (instance == null) {
            instance = new ConfigLoaderTarget(Files.createTempDirectory("config-fuzz"));
        }
        return instance;
    }

    void exercise(FuzzedDataProvider data) throws IOException {
        if ((LOADED.get() + REFUSED.get()) % 5000 == 4999) {
            // libFuzzer's own statistics go to the native stderr, which surefire does not keep: count here.
            System.out.println("config fuzz: " + LOADED.get() + " loaded, " + REFUSED.get() + " refused with InvalidConfiguration");
        }
        Map<String, String> env = new HashMap<>();
        String secret = null;
        int overrides = data.consumeInt(0, 4);
        for (int i = 0; i < overrides; i++) {
            String key = data.pickValue(KEYS);
            env.put(ConfigLoader.envName(key), data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(100));
        }
        switch (data.consumeInt(0, 3)) {
            case 0 -> {
                secret = "ste_" + data.consumeAsciiString(60);
                env.put(TOKEN_ENV, secret);
            }
            case 1 -> {
                secret = "ste_" + data.consumeAsciiString(60);
                Path file = data.consumeBoolean() ? privateSecret : sharedSecret;
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        file == privateSecret ? "rw-------" : "rw-r--r--")));
                Files.writeString(file, secret);
                env.put(TOKEN_ENV + "_FILE", data.consumeBoolean() ? file.toString() : dir.resolve("token-link").toString());
            }
            case 2 -> env.put(TOKEN_ENV + "_FILE", data.pickValue(new String[] {dir.resolve("token-dir").toString(),
                dir.resolve("missing").toString(), "/dev/zero", "/proc/self/status", "relative/token", ""}));
            default -> { }
        }
        byte[] file = data.consumeBoolean() ? structuredYaml(data) : data.consumeRemainingAsBytes();
        Files.write(yaml, file);
        try {
            AgentConfig config = new ConfigLoader(env).load(yaml);
            LOADED.incrementAndGet();
            if (secret != null && secret.length() > 8 && config.toString().contains(secret)) {
                throw new FuzzFinding("the enrollment token appears in the configuration's text");
            }
        } catch (InvalidConfiguration e) {
            REFUSED.incrementAndGet();
            if (e.problems().isEmpty()) throw new FuzzFinding("InvalidConfiguration without a problem");
            for (InvalidConfiguration.Problem p : e.problems()) {
                if (p.key() == null || p.key().isBlank() || p.message() == null || p.message().isBlank()) {
                    throw new FuzzFinding("a problem without key or message: " + p);
                }
            }
            if (secret != null && secret.length() > 8 && e.getMessage().contains(secret)) {
                throw new FuzzFinding("the enrollment token appears in a configuration problem");
            }
        }
    }

    /** YAML (after a valid base, or not) made of the known keys (nested as the file nests them) with values, snippets and fuzzed text. */
    private byte[] structuredYaml(FuzzedDataProvider data) {
        StringBuilder out = new StringBuilder();
        if (data.consumeBoolean()) {
            // A valid development file first, so that the fuzzed lines and overrides after it also reach the checks
            // of a configuration that otherwise loads.
            out.append("mode: development\nstate_dir: ").append(dir.resolve("state")).append("\nmachine:\n  name: st-1\n")
                    .append("tpm:\n  uri: none\n");
        }
        int lines = data.consumeInt(0, 24);
        for (int i = 0; i < lines; i++) {
            String key = data.consumeInt(0, 9) == 0 ? data.consumeString(12) : data.pickValue(KEYS);
            String[] parts = key.split("\\.", -1);
            for (int depth = 0; depth < parts.length; depth++) {
                out.append("  ".repeat(depth)).append(parts[depth]).append(depth < parts.length - 1 ? ":\n" : ": ");
            }
            switch (data.consumeInt(0, 3)) {
                case 0 -> out.append(data.pickValue(VALUES));
                case 1 -> out.append(data.consumeString(60));
                case 2 -> out.append(data.pickValue(SNIPPETS)).append(data.pickValue(VALUES));
                default -> out.append(data.pickValue(VALUES)).append(data.pickValue(SNIPPETS));
            }
            out.append('\n');
            if (data.consumeInt(0, 5) == 0) out.append(data.pickValue(SNIPPETS));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
