package org.stationtrust.agent.internal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.InvalidConfiguration.Problem;

/** Typed reads of flattened configuration values; each failure becomes a {@link Problem} naming the key. */
final class Values {
    private final Map<String, String> raw;
    private final List<Problem> problems;

    Values(Map<String, String> raw, List<Problem> problems) {
        this.raw = raw;
        this.problems = problems;
    }

    Optional<String> string(String key) {
        String value = raw.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    <T> T choice(String key, String fallback, Map<String, T> allowed) {
        String value = string(key).orElse(fallback).toLowerCase(Locale.ROOT);
        T chosen = allowed.get(value);
        if (chosen == null) {
            problems.add(new Problem(key, "expected one of " + new java.util.TreeSet<>(allowed.keySet()) + ", saw '"
                    + ConfigLoader.abbreviate(value) + "'"));
            return allowed.get(fallback);
        }
        return chosen;
    }

    int integer(String key, int fallback, int min, int max) {
        Optional<String> value = string(key);
        if (value.isEmpty()) return fallback;
        try {
            int n = Integer.parseInt(value.get());
            if (n < min || n > max) {
                problems.add(new Problem(key, "expected an integer in " + min + ".." + max + ", saw " + n));
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(new Problem(key, "expected an integer in " + min + ".." + max + ", saw '" + ConfigLoader.abbreviate(value.get()) + "'"));
            return fallback;
        }
    }

    List<Integer> integerList(String key, List<Integer> fallback, int min, int max) {
        Optional<String> value = string(key);
        if (value.isEmpty()) return fallback;
        List<Integer> out = new ArrayList<>();
        for (String part : value.get().split(",")) {
            try {
                int n = Integer.parseInt(part.trim());
                if (n < min || n > max || out.contains(n)) throw new NumberFormatException();
                out.add(n);
            } catch (NumberFormatException e) {
                problems.add(new Problem(key, "expected a list of distinct integers in " + min + ".." + max + ", saw '"
                        + ConfigLoader.abbreviate(value.get()) + "'"));
                return fallback;
            }
        }
        return out;
    }

    int[] portRange(String key, int first, int last) {
        Optional<String> value = string(key);
        if (value.isEmpty()) return new int[] {first, last};
        // limit -1: "-" must give two empty parts (refused below), not an empty array (found by ConfigLoaderFuzzTest)
        String[] parts = value.get().split("-", -1);
        try {
            int a = Integer.parseInt(parts[0].trim());
            int b = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : a;
            if (parts.length > 2 || a < 1 || b > 65535 || a > b) throw new NumberFormatException();
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            problems.add(new Problem(key, "expected a port or an ascending range such as 4501-4600, saw '"
                    + ConfigLoader.abbreviate(value.get()) + "'"));
            return new int[] {first, last};
        }
    }

    Optional<Path> path(String key) {
        Optional<String> value = string(key);
        if (value.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Path.of(value.get()));
        } catch (InvalidPathException e) {
            problems.add(new Problem(key, "not a usable path: " + e.getReason()));
            return Optional.empty();
        }
    }
}
