package org.stationtrust.agent.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.InvalidConfiguration;

class ConfigLoaderTest {
    @TempDir Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, text);
        return file;
    }

    private String production() throws IOException {
        Path trust = Files.createDirectories(dir.resolve("trust"));
        return "state_dir: " + dir.resolve("state") + "\n"
                + "machine:\n  name: station-7\n"
                + "server:\n  url: https://enroll.example.org\n  public_key_pins: [" + "ab".repeat(32) + "]\n"
                + "tpm:\n  uri: swtpm:127.0.0.1:2321\n"
                + "devices:\n  trust_store: " + trust + "\n";
    }

    private static Set<String> badKeys(InvalidConfiguration e) {
        return e.problems().stream().map(InvalidConfiguration.Problem::key).collect(Collectors.toSet());
    }

    @Test
    void loadsACompleteProductionFileWithSecureDefaults() throws Exception {
        AgentConfig config = new ConfigLoader(Map.of()).load(yaml(production()));
        assertEquals(AgentConfig.Mode.PRODUCTION, config.mode());
        assertEquals("station-7", config.machineName());
        assertEquals(URI.create("https://enroll.example.org"), config.server().url().orElseThrow());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), config.tpm().pcrs());
        assertEquals(4501, config.devices().firstPort());
        assertTrue(config.api().corsOrigin().isEmpty(), "no CORS unless configured");
    }

    @Test
    void refusesProductionWithoutPinTrustStoreOrTpmNamingEachKey() throws Exception {
        Path file = yaml("state_dir: " + dir + "/s\nserver:\n  url: https://enroll.example.org\ntpm:\n  uri: none\n");
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(Map.of()).load(file));
        assertEquals(Set.of("server.public_key_pins", "devices.trust_store", "tpm.uri"), badKeys(e));
        assertTrue(e.getMessage().contains("mode: development"), e.getMessage());
    }

    @Test
    void withoutAnFtmTrustStoreTheConfigurationLoadsAndNamesNoFtmRoots() throws Exception {
        AgentConfig config = new ConfigLoader(Map.of()).load(yaml(production()));

        assertTrue(config.devices().ftmTrustStore().isEmpty(), "no FTM roots unless configured: L1 devices refused");
    }

    @Test
    void readsTheFtmTrustStoreFromTheFileOrTheEnvironment() throws Exception {
        Path ftm = Files.createDirectories(dir.resolve("ftm"));
        Path other = Files.createDirectories(dir.resolve("ftm-other"));

        AgentConfig fromFile = new ConfigLoader(Map.of()).load(yaml(production() + "  ftm_trust_store: " + ftm + "\n"));
        AgentConfig fromEnv = new ConfigLoader(Map.of("STATION_AGENT_DEVICES_FTM_TRUST_STORE", other.toString()))
                .load(yaml(production()));

        assertEquals(ftm, fromFile.devices().ftmTrustStore().orElseThrow());
        assertEquals(other, fromEnv.devices().ftmTrustStore().orElseThrow());
    }

    @Test
    void refusesAnFtmTrustStoreThatIsNotADirectoryOrIsTheDeviceTrustStore() throws Exception {
        String missing = production() + "  ftm_trust_store: " + dir.resolve("absent") + "\n";
        String same = production() + "  ftm_trust_store: " + dir.resolve("trust") + "\n";

        InvalidConfiguration notADirectory = assertThrows(InvalidConfiguration.class,
                () -> new ConfigLoader(Map.of()).load(yaml(missing)));
        InvalidConfiguration sameDirectory = assertThrows(InvalidConfiguration.class,
                () -> new ConfigLoader(Map.of()).load(yaml(same)));

        assertEquals(Set.of("devices.ftm_trust_store"), badKeys(notADirectory));
        assertEquals(Set.of("devices.ftm_trust_store"), badKeys(sameDirectory));
        assertTrue(sameDirectory.getMessage().contains("separate trust domains"), sameDirectory.getMessage());
    }

    @Test
    void namesEveryBadKeyInOneReport() throws Exception {
        Path file = yaml(production() + "mode: testing\napi:\n  port: 70000\n  cors_origin: '*'\n"
                + "queue:\n  initial_backoff_ms: fast\n" + "colour: blue\n");
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(Map.of()).load(file));
        assertEquals(Set.of("mode", "api.port", "api.cors_origin", "queue.initial_backoff_ms", "colour"), badKeys(e));
    }

    @Test
    void aPortRangeOfOnlyDashesIsRefusedNamingTheKey() throws Exception {
        // Found by ConfigLoaderFuzzTest (kept in its inputs as port-range-dash): "-" crashed the loader.
        for (String ports : new String[] {"-", "--", "4501-", "-4600"}) {
            InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(
                    Map.of("STATION_AGENT_DEVICES_PORTS", ports)).load(yaml(production())), ports);
            assertEquals(Set.of("devices.ports"), badKeys(e), ports);
        }
    }

    @Test
    void aKeyWithoutANameIsReportedUnderItsParentInsteadOfAnEmptyName() throws Exception {
        // Found by ConfigLoaderFuzzTest (kept in its inputs as empty-yaml-key): the problem named no key.
        Path file = yaml(production() + "\"\": 1\napi:\n  \"\": 2\n");
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(Map.of()).load(file));
        assertEquals(Set.of("(top level)", "api"), badKeys(e));
        assertTrue(e.getMessage().contains("a key without a name"), e.getMessage());
    }

    @Test
    void refusesPlainHttpServerInProductionButAllowsItOnLoopbackInDevelopment() throws Exception {
        Map<String, String> env = Map.of("STATION_AGENT_SERVER_URL", "http://127.0.0.1:8080");
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(env).load(yaml(production())));
        assertEquals(Set.of("server.url"), badKeys(e));

        AgentConfig dev = new ConfigLoader(env).load(yaml("mode: development\nstate_dir: " + dir + "/s\ntpm:\n  uri: none\n"));
        assertTrue(dev.development());
        assertTrue(dev.tpm().uri().isEmpty());
        Map<String, String> remote = Map.of("STATION_AGENT_SERVER_URL", "http://enroll.example.org");
        InvalidConfiguration notLoopback = assertThrows(InvalidConfiguration.class,
                () -> new ConfigLoader(remote).load(yaml("mode: development\nstate_dir: " + dir + "/s\n")));
        assertEquals(Set.of("server.url"), badKeys(notLoopback));
    }

    @Test
    void environmentVariablesOverrideEveryKeyOfTheFile() throws Exception {
        Map<String, String> env = Map.of("STATION_AGENT_MACHINE_NAME", "from-env", "STATION_AGENT_API_PORT", "4900",
                "STATION_AGENT_DEVICES_PORTS", "4510-4520", "STATION_AGENT_TPM_PCRS", "0,7");
        AgentConfig config = new ConfigLoader(env).load(yaml(production()));
        assertEquals("from-env", config.machineName());
        assertEquals(4900, config.api().port());
        assertEquals(4510, config.devices().firstPort());
        assertEquals(4520, config.devices().lastPort());
        assertEquals(List.of(0, 7), config.tpm().pcrs());
        assertEquals("STATION_AGENT_SERVER_CERTIFICATE_SHA256", ConfigLoader.envName("server.certificate_sha256"));
    }

    @Test
    void refusesAKeyGivenTwiceInOneMappingNamingItAndItsLine() throws Exception {
        Path file = yaml(production().replace("server:\n  url: https://enroll.example.org\n",
                "server:\n  url: https://enroll.example.org\n  url: https://elsewhere.example.org\n"));
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(Map.of()).load(file));
        assertTrue(badKeys(e).contains("--config"), "the file is refused, not read with the last value: " + badKeys(e));
        assertTrue(e.getMessage().contains("the key 'url' appears twice") && e.getMessage().contains("line 6")
                && e.getMessage().contains("keep one"), e.getMessage());
    }

    @Test
    void refusesAnUnknownAgentEnvironmentVariableNamingItWithoutItsValue() throws Exception {
        Map<String, String> env = Map.of("STATION_AGENT_SERVER_ULR", "https://typo.example.org",
                "STATION_AGENT_JVM_OPTIONS", "-Xmx256m", "OTHER_VARIABLE", "x");
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(env).load(yaml(production())));
        assertEquals(Set.of("STATION_AGENT_SERVER_ULR"), badKeys(e), "the launcher's variable and others' are not ours to refuse");
        assertTrue(e.getMessage().contains("unknown environment variable") && e.getMessage().contains("STATION_AGENT_SERVER_URL"),
                e.getMessage());
        assertFalse(e.getMessage().contains("typo.example.org"), "the value is not echoed");
    }

    @Test
    void refusesASoftwareTpmOnAnotherHostInProductionButNotInDevelopment() throws Exception {
        Map<String, String> remote = Map.of("STATION_AGENT_TPM_URI", "swtpm:tpm.example.org:2321");
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(remote).load(yaml(production())));
        assertEquals(Set.of("tpm.uri"), badKeys(e));
        assertTrue(e.getMessage().contains("device:/dev/tpmrm0"), e.getMessage());
        AgentConfig dev = new ConfigLoader(remote).load(yaml("mode: development\n" + production()));
        assertEquals("swtpm:tpm.example.org:2321", dev.tpm().uri().orElseThrow());
    }

    @Test
    void refusesASecretWrittenInTheYamlFile() throws Exception {
        Path file = yaml(production().replace("server:\n", "server:\n  enrollment_token: abc\n"));
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(Map.of()).load(file));
        assertEquals(Set.of("server.enrollment_token"), badKeys(e));
        assertFalse(e.getMessage().contains("abc"), "the refused secret must not be echoed");
    }

    @Test
    void readsTheEnrollmentTokenFromAPrivateFileAndRefusesAReadableOne() throws Exception {
        Path secret = dir.resolve("token");
        Files.writeString(secret, "one-time-token\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = new HashMap<>(Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN_FILE", secret.toString()));
        AgentConfig config = new ConfigLoader(env).load(yaml(production()));
        assertEquals("one-time-token", config.server().enrollmentToken().orElseThrow().value());
        assertFalse(config.toString().contains("one-time-token"), "a secret never prints itself");

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(env).load(yaml(production())));
        assertEquals(Set.of("server.enrollment_token"), badKeys(e));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void refusesAMissingOrMalformedFileNamingIt() throws Exception {
        InvalidConfiguration missing = assertThrows(InvalidConfiguration.class,
                () -> new ConfigLoader(Map.of()).load(dir.resolve("absent.yaml")));
        assertTrue(missing.getMessage().contains("absent.yaml"));
        InvalidConfiguration broken = assertThrows(InvalidConfiguration.class,
                () -> new ConfigLoader(Map.of()).load(yaml("server: [unclosed\n")));
        assertTrue(badKeys(broken).contains("--config"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} = {1} is refused by name")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "mode|paranoid", "state_dir|relative/path", "machine.name|-bad name-", "server.url|ftp://enroll.example.org",
            "server.public_key_pins|abc", "server.certificate_sha256|ab", "server.timeout_seconds|0", "server.attestation_interval_seconds|1",
            "server.enrollment_attempts|0", "server.enrollment_attempts|21", "server.enrollment_backoff_ms|5",
            "tpm.uri|serial:/dev/ttyS0", "tpm.pcrs|0,24", "devices.trust_store|/nonexistent/ca-dir",
            "devices.ftm_trust_store|/nonexistent/ftm-ca-dir", "devices.ports|4600-4501",
            "devices.allowed_skew_seconds|-5", "devices.env|Testing", "api.port|65536", "api.cors_origin|*",
            "api.max_body_bytes|10", "api.token_group|no-such-group-here", "queue.initial_backoff_ms|0",
            "queue.max_backoff_seconds|0"})
    void everyInvalidKeyGivesAnErrorThatNamesIt(String key, String value) throws Exception {
        assertTrue(ConfigLoader.KEYS.contains(key));
        Map<String, String> env = Map.of(ConfigLoader.envName(key), value);
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(env).load(yaml(production())));
        assertEquals(Set.of(key), badKeys(e), e.getMessage());
    }

    @Test
    void everyKeyIsCoveredByTheInvalidValueTest() {
        assertEquals(24, ConfigLoader.KEYS.size(), "add the new key to everyInvalidKeyGivesAnErrorThatNamesIt");
    }

    @Test
    void readsTheEnrollmentRetrySettingsAndDefaultsToFiveAttemptsFromOneSecond() throws Exception {
        AgentConfig defaults = new ConfigLoader(Map.of()).load(yaml(production()));
        assertEquals(AgentConfig.EnrollmentRetry.DEFAULT, defaults.server().enrollmentRetry());
        assertEquals(5, defaults.server().enrollmentRetry().attempts());
        AgentConfig set = new ConfigLoader(Map.of(ConfigLoader.envName("server.enrollment_attempts"), "3",
                ConfigLoader.envName("server.enrollment_backoff_ms"), "45000")).load(yaml(production()));
        assertEquals(new AgentConfig.EnrollmentRetry(3, java.time.Duration.ofSeconds(45), java.time.Duration.ofSeconds(45)),
                set.server().enrollmentRetry(), "the backoff never shrinks below the first wait");
    }

    @Test
    void refusesAMalformedPinWithoutEchoingIt() throws Exception {
        Path file = yaml(production().replace("ab".repeat(32), "not-a-fingerprint"));
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(Map.of()).load(file));
        assertEquals(Set.of("server.public_key_pins"), badKeys(e));
        assertTrue(!e.getMessage().contains("not-a-fingerprint"), e.getMessage());
    }

    @Test
    void readsTheCurrentAndTheNextPublicKeyPin() throws Exception {
        String current = "sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Path file = yaml(production().replace("ab".repeat(32), current + ", " + "cd".repeat(32)));
        AgentConfig config = new ConfigLoader(Map.of()).load(file);
        assertEquals(List.of(org.stationtrust.agent.PublicKeyPin.parse(current),
                org.stationtrust.agent.PublicKeyPin.parse("cd".repeat(32))), config.server().publicKeyPins());
    }

    @Test
    void refusesTheFormerWholeCertificatePinAndSaysWhatReplacesIt() throws Exception {
        Map<String, String> env = Map.of(ConfigLoader.envName("server.certificate_sha256"), "ab".repeat(32));
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class, () -> new ConfigLoader(env).load(yaml(production())));
        assertEquals(Set.of("server.certificate_sha256"), badKeys(e));
        assertTrue(e.getMessage().contains("server.public_key_pins"), e.getMessage());
    }
}
