package org.stationtrust.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Defaults for the command-line options from a properties file ({@code SERVER_ENROLL_CONFIG}; the Debian
 * package sets it to /etc/server-enroll/server-enroll.conf). A key is an option of {@code serve} without
 * its dashes ({@code db = jdbc:postgresql://...}, {@code port = 8443}); an option given on the command line
 * wins. An unknown or empty key is refused: a typo must not silently leave a setting at its default.
 * Secrets never go here: they come from SERVER_*_FILE files (server-enroll/README.md).
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    static final String ENVIRONMENT_VARIABLE = "SERVER_ENROLL_CONFIG";
    private static final long MAX_BYTES = 64 * 1024;

    private final Map<String, String> values;

    private ConfigFile(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads and checks {@code file} against the options {@code settable} (long names without dashes).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static ConfigFile read(Path file, Set<String> settable) {
        Properties properties = new Properties();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("configuration " + file + " is larger than 64 KiB");
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the configuration " + file + " (" + SERVER_CONFIG_HINT
                    + "): " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            if (!settable.contains(key)) {
                unknown.add(key);
            } else if (value.isEmpty()) {
                throw new IllegalArgumentException("configuration " + file + ": '" + key + "' has no value;"
                        + " give one or comment the line out");
            } else {
                values.put(key, value);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("configuration " + file + ": unknown setting(s) " + unknown
                    + "; the settings are " + new TreeSet<>(settable));
        }
        return new ConfigFile(Map.copyOf(values));
    }

    private static final String SERVER_CONFIG_HINT = "named by " + ENVIRONMENT_VARIABLE;

    /** The long option names, without dashes, that {@code spec} and its subcommands accept, minus help and version. */
    static Set<String> optionNames(CommandLine.Model.CommandSpec spec) {
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            names.add(option.longestName().replaceFirst("^-+", ""));
        }
        return names;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) return null;
        return values.get(option.longestName().replaceFirst("^-+", ""));
    }
}
