package org.stationtrust.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one schema every module's benchmark writes and {@code scripts/bench} puts together into a table
 * (docs/performance.md): {@code <bench.out>/<module>.json} with a list of figures, each with our value, the
 * limit measured in the same run, the unit, the ratio, the target and whether it was met.
 */
public final class BenchFigures {
    private BenchFigures() {
    }

    /**
     * One figure as a JSON object; {@code limit}, {@code ratio}, {@code target}, {@code met} and {@code note}
     * may be null where a figure has none (a NaN or infinite number is written as null too).
     */
    public static String benchFigure(String figure, double ours, Double limit, String unit, Double ratio,
                                     String target, Boolean met, String note) {
        return "{\"figure\":" + jsonString(figure) + ",\"ours\":" + jsonNumber(ours) + ",\"limit\":" + jsonNumber(limit)
                + ",\"unit\":" + jsonString(unit) + ",\"ratio\":" + jsonNumber(ratio) + ",\"target\":" + jsonString(target)
                + ",\"met\":" + met + ",\"note\":" + jsonString(note) + "}";
    }

    /** Writes {@code <bench.out>/<module>.json} (system property {@code bench.out}, default target/bench). */
    public static Path writeBenchFigures(String module, String... figures) throws IOException {
        Path dir = Path.of(System.getProperty("bench.out", "target/bench"));
        Files.createDirectories(dir);
        Path file = dir.resolve(module + ".json");
        Files.writeString(file, "{\"module\":" + jsonString(module) + ",\"figures\":[\n  "
                + String.join(",\n  ", figures) + "\n]}\n", StandardCharsets.UTF_8);
        System.out.println("figures written to " + file.toAbsolutePath());
        return file;
    }

    static String jsonNumber(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", value);
    }

    static String jsonString(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
