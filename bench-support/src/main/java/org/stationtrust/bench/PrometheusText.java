package org.stationtrust.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests that scrape {@code /metrics}. It refuses
 * what a Prometheus server would refuse or silently misread: a sample before its family's TYPE, a family split in
 * two, a metric or label name outside the allowed characters, a badly escaped label value, a duplicate label, a
 * counter not ending in {@code _total}, and histogram buckets that are not cumulative or lack {@code +Inf}.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created", "_max");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, List<Sample> samples) {
        /** The samples named {@code name} whose labels include every given pair. */
        public List<Sample> select(String sampleName, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(sampleName)
                    && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        }
    }

    private final Map<String, Family> families;

    private PrometheusText(Map<String, Family> families) {
        this.families = families;
    }

    public Map<String, Family> families() {
        return families;
    }

    public Optional<Family> family(String name) {
        return Optional.ofNullable(families.get(name));
    }

    /** The one sample with this name and these labels (exactly: no other labels). */
    public double value(String sampleName, Map<String, String> labels) {
        List<Double> found = new ArrayList<>();
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sampleName) && s.labels().equals(labels)) found.add(s.value());
            }
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException("expected one sample " + sampleName + labels + ", found " + found.size());
        }
        return found.get(0);
    }

    public static PrometheusText parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("last line lacks its newline");
        Map<String, Family> families = new LinkedHashMap<>();
        Family current = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) continue;
            try {
                if (line.startsWith("# TYPE ")) {
                    Matcher m = TYPE_LINE.matcher(line);
                    if (!m.matches()) throw new IllegalArgumentException("malformed TYPE line");
                    requireName(METRIC_NAME, m.group(1));
                    if (families.containsKey(m.group(1))) throw new IllegalArgumentException("second TYPE for " + m.group(1));
                    current = new Family(m.group(1), m.group(2), new ArrayList<>());
                    families.put(m.group(1), current);
                } else if (line.startsWith("#")) {
                    if (!line.startsWith("# HELP ") && !line.startsWith("# ")) throw new IllegalArgumentException("bad comment");
                } else {
                    Sample s = sample(line);
                    if (current == null || !belongs(s.name(), current.name())) {
                        throw new IllegalArgumentException("sample " + s.name() + " outside its family's TYPE block");
                    }
                    if (current.type().equals("counter") && !s.name().endsWith("_total") && !s.name().endsWith("_created")) {
                        throw new IllegalArgumentException("counter sample " + s.name() + " must end in _total");
                    }
                    current.samples().add(s);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNo + " '" + line + "': " + e.getMessage(), e);
            }
        }
        families.values().stream().filter(f -> f.type().equals("histogram")).forEach(PrometheusText::checkHistogram);
        return new PrometheusText(Map.copyOf(families));
    }

    private static boolean belongs(String sample, String family) {
        if (sample.equals(family)) return true;
        for (String suffix : SUFFIXES) {
            if (sample.equals(family + suffix)) return true;
        }
        return false;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) throw new IllegalArgumentException("no value");
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        String rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int end = labels(line, brace + 1, labels);
            if (end >= line.length() || line.charAt(end) != ' ') throw new IllegalArgumentException("no space after labels");
            rest = line.substring(end + 1);
        } else {
            name = line.substring(0, space);
            rest = line.substring(space + 1);
        }
        requireName(METRIC_NAME, name);
        String[] parts = rest.split(" ");
        if (parts.length > 2) throw new IllegalArgumentException("trailing text after value and timestamp");
        if (parts.length == 2) Long.parseLong(parts[1]);
        return new Sample(name, Map.copyOf(labels), value(parts[0]));
    }

    /** Reads {@code name="value",...}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> out) {
        while (true) {
            if (i < line.length() && line.charAt(i) == '}') return i + 1;
            int eq = line.indexOf("=\"", i);
            if (eq < 0) throw new IllegalArgumentException("label without =\"");
            String name = line.substring(i, eq);
            requireName(LABEL_NAME, name);
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; ; j++) {
                if (j >= line.length()) throw new IllegalArgumentException("unterminated label value");
                char ch = line.charAt(j);
                if (ch == '"') break;
                if (ch == '\\') {
                    char next = j + 1 < line.length() ? line.charAt(++j) : ' ';
                    switch (next) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw new IllegalArgumentException("bad escape \\" + next);
                    }
                } else {
                    value.append(ch);
                }
            }
            if (out.put(name, value.toString()) != null) throw new IllegalArgumentException("duplicate label " + name);
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') i++;
            else if (i >= line.length() || line.charAt(i) != '}') throw new IllegalArgumentException("expected , or }");
        }
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static void requireName(Pattern p, String name) {
        if (!p.matcher(name).matches()) throw new IllegalArgumentException("invalid name '" + name + "'");
    }

    /** Buckets per label set: le ascending, counts non-decreasing, +Inf present and equal to _count. */
    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            if (!s.name().endsWith("_bucket")) continue;
            Map<String, String> rest = new LinkedHashMap<>(s.labels());
            if (rest.remove("le") == null) throw new IllegalArgumentException(f.name() + ": bucket without le");
            series.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
        }
        for (var e : series.entrySet()) {
            double lastLe = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (Sample b : e.getValue()) {
                double le = value(b.labels().get("le"));
                if (le <= lastLe || b.value() < lastCount) {
                    throw new IllegalArgumentException(f.name() + e.getKey() + ": buckets not cumulative at le=" + le);
                }
                lastLe = le;
                lastCount = b.value();
            }
            if (lastLe != Double.POSITIVE_INFINITY) throw new IllegalArgumentException(f.name() + ": no +Inf bucket");
            double count = f.samples().stream().filter(s -> s.name().equals(f.name() + "_count")
                    && s.labels().equals(e.getKey())).mapToDouble(Sample::value).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(f.name() + ": no _count"));
            if (count != lastCount) throw new IllegalArgumentException(f.name() + ": +Inf bucket differs from _count");
        }
    }
}
