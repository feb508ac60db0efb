package org.stationtrust.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark report of {@code scripts/bench}. {@code memory DIR} runs the demo once and measures the resident
 * memory of its server and agent processes against an idle JVM started with the same flags ({@code DIR/memory.json});
 * {@code aggregate DIR} reads every module's {@code DIR/<module>.json} (common schema: figure, ours, limit, unit,
 * ratio, target, met, note) and writes one table, {@code DIR/report.md} and {@code DIR/report.json}.
 */
public final class BenchReport {
    /** The order of the table; other files follow alphabetically. */
    private static final List<String> MODULES = List.of("tpm", "sbi-client", "server-enroll", "station-agent",
            "ctk-harness", "memory");
    private static final double MB = 1024.0;

    private BenchReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && "memory".equals(args[0])) {
            measureMemory(Path.of(args[1]));
        } else if (args.length == 2 && "aggregate".equals(args[0])) {
            Path report = aggregate(Path.of(args[1]));
            System.out.println(Files.readString(report));
            System.out.println("report: " + report.toAbsolutePath() + " and " + report.resolveSibling("report.json").toAbsolutePath());
        } else if (args.length == 1 && "idle".equals(args[0])) {
            System.out.println("idle JVM ready");
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        } else {
            System.err.println("usage: BenchReport memory DIR | aggregate DIR");
            System.exit(2);
        }
    }

    static void measureMemory(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path work = Files.createDirectories(dir.resolve("demo-" + Instant.now().toEpochMilli()));
        ByteArrayOutputStream story = new ByteArrayOutputStream();
        DemoResult demo = Demo.run(work, new PrintStream(story, true, StandardCharsets.UTF_8));
        Files.write(dir.resolve("memory-demo.log"), story.toByteArray());
        if (!demo.passed()) {
            throw new IllegalStateException("the demo failed, so its memory figures mean nothing; see " + dir.resolve("memory-demo.log"));
        }
        long idleKb;
        try (ChildJava idle = ChildJava.start("idle-jvm", dir.resolve("memory-idle-jvm.log"), Map.of(),
                BenchReport.class.getName(), "idle")) {
            idle.awaitLine(Pattern.compile("idle JVM ready"), Duration.ofSeconds(30));
            Thread.sleep(500);
            idleKb = idle.residentKb();
        }
        double bare = idleKb / MB;
        double server = demo.serverRssKb() / MB;
        double agent = demo.agentRssKb() / MB;
        String flags = "same JVM flags (" + String.join(" ", ChildJava.JVM_FLAGS) + ")";
        ArrayNode figures = JsonHttp.JSON.createArrayNode();
        figures.add(figure("server-enroll resident memory after the demo's traffic", server, bare, "MB", server / bare,
                "ours < 512 MB", server < 512, "VmRSS of `server-enroll serve` after enrollment, approval, attestation and "
                        + "5 packet verifications; limit: an idle JVM, " + flags));
        figures.add(figure("station-agent resident memory after a full registration", agent, bare, "MB", agent / bare,
                "ours < 256 MB", agent < 256, "VmRSS of `station-agent run` after 5 captures (13 biometrics) and 5 packets; "
                        + "limit: an idle JVM, " + flags));
        ObjectNode file = JsonHttp.JSON.createObjectNode();
        file.put("module", "memory");
        file.set("figures", figures);
        Files.writeString(dir.resolve("memory.json"), JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file));
        System.out.printf(Locale.ROOT, "server %.0f MB, agent %.0f MB, idle JVM %.0f MB%n", server, agent, bare);
    }

    private static ObjectNode figure(String name, double ours, double limit, String unit, double ratio, String target,
                                     boolean met, String note) {
        ObjectNode f = JsonHttp.JSON.createObjectNode();
        f.put("figure", name);
        f.put("ours", ours);
        f.put("limit", limit);
        f.put("unit", unit);
        f.put("ratio", ratio);
        f.put("target", target);
        f.put("met", met);
        f.put("note", note);
        return f;
    }

    /** Reads every module file in {@code dir}; writes report.md and report.json there; returns the Markdown file. */
    static Path aggregate(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("report.json")).sorted().toList());
        }
        files.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        ArrayNode rows = JsonHttp.JSON.createArrayNode();
        List<String> missing = new ArrayList<>();
        for (String module : MODULES) {
            if (files.stream().noneMatch(f -> f.getFileName().toString().equals(module + ".json"))) {
                missing.add(module);
            }
        }
        for (Path file : files) {
            JsonNode root = JsonHttp.JSON.readTree(Files.readString(file));
            String module = root.path("module").asText(file.getFileName().toString().replace(".json", ""));
            for (JsonNode f : root.path("figures")) {
                ObjectNode row = ((ObjectNode) f.deepCopy()).put("module", module);
                rows.add(row);
            }
        }
        ObjectNode json = JsonHttp.JSON.createObjectNode();
        json.put("generated", Instant.now().toString());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        json.set("figures", rows);
        json.set("missing", JsonHttp.JSON.valueToTree(missing));
        Files.writeString(dir.resolve("report.json"), JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        Path md = dir.resolve("report.md");
        Files.writeString(md, markdown(rows, missing));
        return md;
    }

    private static int rank(Path file) {
        int i = MODULES.indexOf(file.getFileName().toString().replace(".json", ""));
        return i < 0 ? MODULES.size() : i;
    }

    static String markdown(ArrayNode rows, List<String> missing) {
        StringBuilder b = new StringBuilder("# station-trust benchmark report\n\n");
        b.append(String.format(Locale.ROOT, "Generated %s on %d cores (load average %.1f at the end) by `bash scripts/bench`. "
                + "The limit of each figure is measured in the same run; ratio = ours / limit unless the note says "
                + "otherwise.%n%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        b.append("| module | figure | ours | limit (same run) | ratio | target | met | note |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : rows) {
            String unit = r.path("unit").asText("");
            b.append("| ").append(r.path("module").asText()).append(" | ").append(cell(r.path("figure").asText()))
                    .append(" | ").append(number(r.path("ours"), unit)).append(" | ").append(number(r.path("limit"), unit))
                    .append(" | ").append(number(r.path("ratio"), "")).append(" | ").append(cell(r.path("target").asText("")))
                    .append(" | ").append(r.path("met").isBoolean() ? (r.path("met").asBoolean() ? "yes" : "**no**") : "-")
                    .append(" | ").append(cell(r.path("note").asText(""))).append(" |\n");
        }
        if (!missing.isEmpty()) {
            b.append("\nNo figures from: ").append(String.join(", ", missing))
                    .append(" (its benchmark failed or did not run; see its log next to this report).\n");
        }
        return b.toString();
    }

    private static String number(JsonNode n, String unit) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "-";
        }
        double v = n.asDouble();
        String s = Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
        return unit.isEmpty() ? s : s + " " + unit;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
