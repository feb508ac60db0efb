package org.stationtrust.agent.internal.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.InvalidConfiguration.Problem;
import org.stationtrust.agent.InvalidConfiguration;
import org.stationtrust.agent.PublicKeyPin;

/**
 * Reads {@code agent.yaml}, applies {@code STATION_AGENT_*} environment overrides, and builds an
 * {@link AgentConfig}, collecting a {@link Problem} for every bad key so an operator fixes them all in one go.
 */
public final class ConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("/etc/station-agent/agent.yaml");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/station-agent");
    static final int MAX_FILE_BYTES = 64 * 1024;

    /** Every key the agent understands; anything else in the file is a typo and refused. */
    public static final Set<String> KEYS = Set.of(
            "mode", "state_dir", "machine.name",
            "server.url", "server.public_key_pins", "server.certificate_sha256", "server.timeout_seconds", "server.attestation_interval_seconds",
            "server.enrollment_attempts", "server.enrollment_backoff_ms",
            "tpm.uri", "tpm.pcrs", "tpm.event_log",
            "devices.trust_store", "devices.ftm_trust_store", "devices.ports", "devices.allowed_skew_seconds", "devices.env",
            "api.port", "api.cors_origin", "api.max_body_bytes", "api.token_group",
            "queue.initial_backoff_ms", "queue.max_backoff_seconds");
    /** Secrets come only from the environment or a private file, never from agent.yaml or the command line. */
    public static final Set<String> SECRET_KEYS = Set.of("server.enrollment_token");

    private static final Pattern MACHINE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TPM_URI = Pattern.compile("device:/.+|tbs:|swtpm:[A-Za-z0-9.\\-]+:\\d{1,5}");
    private static final Set<String> SBI_ENVS = Set.of("Staging", "Developer", "Pre-Production", "Production");

    /** Variables with the agent's prefix that others read: the package's launcher (JVM options) and its build (signing). */
    private static final Set<String> OTHER_VARIABLES = Set.of("STATION_AGENT_JVM_OPTIONS", "STATION_AGENT_RELEASE_KEY_FILE",
            "STATION_AGENT_RELEASE_KEY_PASSPHRASE_FILE", "STATION_AGENT_JAR_KEYSTORE", "STATION_AGENT_JAR_KEYSTORE_PASSWORD_FILE",
            "STATION_AGENT_JAR_KEY_ALIAS");

    private final Map<String, String> environment;
    private final SecretFiles secretFiles = new SecretFiles();

    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The environment variable that overrides a key: {@code server.url} -> {@code STATION_AGENT_SERVER_URL}. */
    public static String envName(String key) {
        return "STATION_AGENT_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Loads the file (which must exist) and the environment. */
    public AgentConfig load(Path file) throws InvalidConfiguration {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> raw = readFile(file, problems);
        refuseUnknownVariables(problems);
        for (String key : KEYS) {
            String value = environment.get(envName(key));
            if (value != null) raw.put(key, value.trim());
        }
        AgentConfig config = build(raw, problems);
        if (!problems.isEmpty() || config == null) throw new InvalidConfiguration(problems);
        return config;
    }

    /** A misspelt override would leave its setting at the default without a word: every unknown name is refused. */
    private void refuseUnknownVariables(List<Problem> problems) {
        Set<String> known = new java.util.HashSet<>(OTHER_VARIABLES);
        KEYS.forEach(k -> known.add(envName(k)));
        SECRET_KEYS.forEach(k -> known.addAll(List.of(envName(k), envName(k) + "_FILE")));
        environment.keySet().stream().filter(n -> n.startsWith("STATION_AGENT_") && !known.contains(n)).sorted()
                .forEach(n -> problems.add(new Problem(abbreviate(n), "unknown environment variable: an override is"
                        + " STATION_AGENT_ and a key of agent.yaml with dots as underscores (server.url:"
                        + " STATION_AGENT_SERVER_URL); fix its name or unset it")));
    }

    private Map<String, String> readFile(Path file, List<Problem> problems) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            problems.add(new Problem("--config", "expected a YAML file at " + file + " but it does not exist;"
                    + " create it (see station-agent/README.md) or pass --config PATH"));
            return raw;
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add(new Problem("--config", file + " is larger than " + MAX_FILE_BYTES + " bytes; this is not an agent.yaml"));
                return raw;
            }
            // a key given twice would silently win over the first (YAML 1.2 says keys are unique): refused
            JsonNode root = new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                    .readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) return raw;
            if (!root.isObject()) {
                problems.add(new Problem("--config", "expected a YAML mapping at the top of " + file));
                return raw;
            }
            flatten("", root, raw, problems);
        } catch (JsonParseException e) {
            String message = firstLine(e.getOriginalMessage());
            problems.add(new Problem("--config", message.startsWith("Duplicate field")
                    ? message.replace("Duplicate field", "the key") + " appears twice in one mapping of " + file + " (line "
                            + e.getLocation().getLineNr() + "); keep one of them"
                    : "cannot parse " + file + " as YAML: " + firstLine(e.getMessage())));
        } catch (IOException e) {
            problems.add(new Problem("--config", "cannot parse " + file + " as YAML: " + firstLine(e.getMessage())));
        }
        return raw;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, List<Problem> problems) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().isBlank()) {
                // Found by ConfigLoaderFuzzTest: the problem named no key at all (": x" or '"": x').
                problems.add(new Problem(prefix.isEmpty() ? "(top level)" : prefix, "a key without a name (a line starting"
                        + " with ':' or an empty quoted key); name the key or remove the line"));
                continue;
            }
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (SECRET_KEYS.contains(key)) {
                problems.add(new Problem(key, "secrets are not read from agent.yaml; set " + envName(key)
                        + " or " + envName(key) + "_FILE (a file readable only by the agent's user) and remove the key"));
            } else if (value.isObject()) {
                flatten(key, value, out, problems);
            } else if (!KEYS.contains(key)) {
                problems.add(new Problem(key, "unknown key; known keys are " + String.join(", ", new java.util.TreeSet<>(KEYS))));
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(v -> items.add(v.asText()));
                out.put(key, String.join(",", items));
            } else if (!value.isNull()) {
                out.put(key, value.asText().trim());
            }
        }
    }

    /**
     * The server's public key pins (1-4, {@code sha256/<base64>} of the SubjectPublicKeyInfo): the current key, and the
     * next one during a planned rotation. The former whole-certificate pin broke every station at each renewal, so
     * its key is refused with the way to the new one.
     */
    private static List<PublicKeyPin> publicKeyPins(Values v, boolean dev, List<Problem> problems) {
        if (v.string("server.certificate_sha256").isPresent()) {
            problems.add(new Problem("server.certificate_sha256", "no longer read: it pinned the whole certificate, which"
                    + " changes at every renewal; pin the server's public key instead: server.public_key_pins: [sha256/...]"
                    + " (serve prints it; or openssl x509 -in server.crt -pubkey -noout | openssl pkey -pubin -outform der"
                    + " | openssl dgst -sha256 -binary | base64)"));
        }
        List<PublicKeyPin> pins = new ArrayList<>();
        for (String text : v.string("server.public_key_pins").map(s -> s.split(",")).orElse(new String[0])) {
            if (text.isBlank()) continue;
            try {
                pins.add(PublicKeyPin.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("server.public_key_pins", e.getMessage() + ", saw " + text.trim().length() + " characters"));
                return List.of();
            }
        }
        if (pins.size() > 4) {
            problems.add(new Problem("server.public_key_pins", "at most 4 pins (the current key and the next), saw " + pins.size()));
            return List.of();
        }
        if (pins.isEmpty() && !dev) {
            problems.add(new Problem("server.public_key_pins", "required in production: pin the server's public key"
                    + " (sha256/<base64>, printed by server-enroll serve), or set mode: development"));
        }
        return List.copyOf(pins);
    }

    private AgentConfig build(Map<String, String> raw, List<Problem> problems) {
        Values v = new Values(raw, problems);
        AgentConfig.Mode mode = v.choice("mode", "production", Map.of(
                "production", AgentConfig.Mode.PRODUCTION, "development", AgentConfig.Mode.DEVELOPMENT));
        boolean dev = mode == AgentConfig.Mode.DEVELOPMENT;
        Path stateDir = v.path("state_dir").orElse(DEFAULT_STATE_DIR);
        if (!stateDir.isAbsolute()) problems.add(new Problem("state_dir", "expected an absolute path, saw " + stateDir));
        String machineName = v.string("machine.name").orElseGet(ConfigLoader::hostName);
        if (!MACHINE_NAME.matcher(machineName).matches()) {
            problems.add(new Problem("machine.name", "expected 1-64 characters [A-Za-z0-9._-] starting with a letter or digit, saw '"
                    + abbreviate(machineName) + "'"));
        }

        Optional<URI> url = serverUrl(v, dev, problems);
        List<PublicKeyPin> pins = publicKeyPins(v, dev, problems);
        Optional<AgentConfig.Secret> token = secret("server.enrollment_token", problems);
        int timeout = v.integer("server.timeout_seconds", 10, 1, 300);
        int attestEvery = v.integer("server.attestation_interval_seconds", 3600, 5, 7 * 86400);
        AgentConfig.EnrollmentRetry defaults = AgentConfig.EnrollmentRetry.DEFAULT;
        int enrollAttempts = v.integer("server.enrollment_attempts", defaults.attempts(), 1, 20);
        int enrollBackoff = v.integer("server.enrollment_backoff_ms", (int) defaults.initialBackoff().toMillis(), 10, 60_000);

        Optional<String> tpmUri = v.string("tpm.uri").or(() -> Optional.of("device:/dev/tpmrm0"));
        if (tpmUri.get().equals("none")) {
            if (!dev) problems.add(new Problem("tpm.uri", "a TPM is required in production (device:/dev/tpmrm0, tbs: or"
                    + " swtpm:HOST:PORT); 'none' is allowed only with mode: development"));
            tpmUri = Optional.empty();
        } else if (!TPM_URI.matcher(tpmUri.get()).matches()) {
            problems.add(new Problem("tpm.uri", "expected device:/dev/tpmrm0, tbs: or swtpm:HOST:PORT, saw '" + abbreviate(tpmUri.get()) + "'"));
        } else if (tpmUri.get().startsWith("swtpm:") && !dev && !isLoopbackName(tpmUri.get().split(":")[1])) {
            // the simulator protocol is plain TCP: a "TPM" elsewhere on the network could be anyone's
            problems.add(new Problem("tpm.uri", "a software TPM (swtpm) on another host is refused in production, saw '"
                    + abbreviate(tpmUri.get()) + "'; use device:/dev/tpmrm0 (or tbs:), or swtpm:127.0.0.1:PORT for a test"
                    + " station, or mode: development"));
        }
        List<Integer> pcrs = v.integerList("tpm.pcrs", List.of(0, 1, 2, 3, 4, 5, 6, 7), 0, 23);
        String eventLog = v.string("tpm.event_log").orElse(new AgentConfig.Tpm(tpmUri, pcrs).eventLog());
        if (!eventLog.equals("none") && !eventLog.equals("tbs") && !eventLog.startsWith("/")) {
            problems.add(new Problem("tpm.event_log", "expected an absolute file path, tbs or none, saw '"
                    + abbreviate(eventLog) + "'"));
        }

        Optional<Path> trustStore = v.path("devices.trust_store");
        if (trustStore.isPresent() && !Files.isDirectory(trustStore.get())) {
            problems.add(new Problem("devices.trust_store", "expected a directory of device-provider CA certificates (PEM), but "
                    + trustStore.get() + " is not a directory"));
        } else if (trustStore.isEmpty() && !dev) {
            problems.add(new Problem("devices.trust_store", "required in production: the directory of trusted device-provider CA"
                    + " certificates (PEM); without it no capture can be verified"));
        }
        // L1 devices only: the FTM providers' roots, a partner domain apart from the device providers'. Absent: L1 refused.
        Optional<Path> ftmTrustStore = v.path("devices.ftm_trust_store");
        if (ftmTrustStore.isPresent() && !Files.isDirectory(ftmTrustStore.get())) {
            problems.add(new Problem("devices.ftm_trust_store", "expected a directory of FTM-provider CA certificates (PEM),"
                    + " but " + ftmTrustStore.get() + " is not a directory"));
        } else if (ftmTrustStore.isPresent() && trustStore.isEmpty()) {
            problems.add(new Problem("devices.ftm_trust_store", "set devices.trust_store too: an L1 device's device key"
                    + " chains to the device-provider CAs, its FTM chip key to these"));
        } else if (ftmTrustStore.isPresent() && sameDirectory(ftmTrustStore.get(), trustStore.get())) {
            problems.add(new Problem("devices.ftm_trust_store", "must be another directory than devices.trust_store:"
                    + " FTM-provider and device-provider CAs are separate trust domains"));
        }
        int[] ports = v.portRange("devices.ports", 4501, 4600);
        int skew = v.integer("devices.allowed_skew_seconds", 300, 0, 3600);
        String sbiEnv = v.string("devices.env").orElse(dev ? "Staging" : "Production");
        if (!SBI_ENVS.contains(sbiEnv)) problems.add(new Problem("devices.env", "expected one of " + SBI_ENVS + ", saw '" + abbreviate(sbiEnv) + "'"));

        int apiPort = v.integer("api.port", 4800, 0, 65535);
        Optional<String> cors = v.string("api.cors_origin");
        if (cors.isPresent() && !cors.get().matches("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?")) {
            problems.add(new Problem("api.cors_origin", "expected one origin such as http://127.0.0.1:3000 (scheme://host[:port],"
                    + " no path, no wildcard), saw '" + abbreviate(cors.get()) + "'"));
        }
        int maxBody = v.integer("api.max_body_bytes", 64 * 1024, 1024, 1024 * 1024);
        Optional<String> tokenGroup = v.string("api.token_group");
        if (tokenGroup.isPresent()) {
            Optional<String> problem = GroupNames.problem(tokenGroup.get());
            problem.ifPresent(text -> problems.add(new Problem("api.token_group", text)));
        }
        int initialBackoff = v.integer("queue.initial_backoff_ms", 500, 10, 60_000);
        int maxBackoff = v.integer("queue.max_backoff_seconds", 300, 1, 86_400);
        if (maxBackoff * 1000L < initialBackoff) {
            problems.add(new Problem("queue.max_backoff_seconds", "must be at least queue.initial_backoff_ms"));
        }
        if (!problems.isEmpty()) return null;
        return new AgentConfig(mode, stateDir, machineName,
                new AgentConfig.Server(url, pins, token, Duration.ofSeconds(timeout), Duration.ofSeconds(attestEvery),
                        new AgentConfig.EnrollmentRetry(enrollAttempts, Duration.ofMillis(enrollBackoff),
                                Duration.ofMillis(Math.max(enrollBackoff, defaults.maxBackoff().toMillis())))),
                new AgentConfig.Tpm(tpmUri, pcrs, eventLog),
                new AgentConfig.Devices(trustStore, ports[0], ports[1], Duration.ofSeconds(skew), sbiEnv, ftmTrustStore),
                new AgentConfig.Api(apiPort, cors, maxBody, tokenGroup),
                new AgentConfig.Queue(Duration.ofMillis(initialBackoff), Duration.ofSeconds(maxBackoff)));
    }

    private static Optional<URI> serverUrl(Values v, boolean dev, List<Problem> problems) {
        Optional<String> text = v.string("server.url");
        if (text.isEmpty()) {
            if (!dev) problems.add(new Problem("server.url", "required in production: the enrollment server, e.g. https://enroll.example.org"));
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add(new Problem("server.url", "expected scheme://host[:port][/base], saw '" + abbreviate(text.get()) + "'"));
                return Optional.empty();
            }
            if ("https".equals(uri.getScheme())) return Optional.of(uri);
            if ("http".equals(uri.getScheme()) && dev && isLoopbackName(uri.getHost())) return Optional.of(uri);
            problems.add(new Problem("server.url", "expected https:// (plain http is allowed only in mode: development and only"
                    + " to 127.0.0.1/localhost), saw '" + abbreviate(text.get()) + "'"));
        } catch (URISyntaxException e) {
            problems.add(new Problem("server.url", "not a URL: " + e.getReason()));
        }
        return Optional.empty();
    }

    /** True when both paths name one directory (through links too); an unreadable one counts as another. */
    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isLoopbackName(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1");
    }

    private Optional<AgentConfig.Secret> secret(String key, List<Problem> problems) {
        String direct = environment.get(envName(key));
        String fileName = environment.get(envName(key) + "_FILE");
        if (direct != null && fileName != null) {
            problems.add(new Problem(key, "set either " + envName(key) + " or " + envName(key) + "_FILE, not both"));
            return Optional.empty();
        }
        if (direct != null) {
            return direct.isBlank() ? Optional.empty() : Optional.of(new AgentConfig.Secret(direct.trim()));
        }
        if (fileName == null) return Optional.empty();
        try {
            return Optional.of(new AgentConfig.Secret(secretFiles.read(Path.of(fileName))));
        } catch (SecretFiles.UnusableSecretFile e) {
            problems.add(new Problem(key, e.getMessage() + " (from " + envName(key) + "_FILE)"));
            return Optional.empty();
        }
    }

    private static String hostName() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            return name.length() > 64 ? name.substring(0, 64) : name;
        } catch (IOException e) {
            return "station";
        }
    }

    static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
