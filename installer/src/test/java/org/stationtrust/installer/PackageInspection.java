package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A built package as dpkg-deb, systemd-analyze and the SBOM see it: the checks both packages' contents tests share. */
final class PackageInspection {
    private static final Pattern CONTENTS_LINE = Pattern.compile("^([-dlrwxs]{10}) (\\S+)/(\\S+)\\s+\\d+ \\S+ \\S+ \\./(.*)$");

    final Packages.Built built;
    /** Path in the package to its mode ("-rw-r--r--") and owner ("root:root"), from dpkg-deb --contents. */
    final Map<String, String> modes = new LinkedHashMap<>();
    final Map<String, String> owners = new LinkedHashMap<>();

    PackageInspection(Packages.Built built) {
        this.built = built;
        String listing = Command.of("dpkg-deb", "--contents", built.deb().toString()).run().requireSuccess().stdout();
        for (String line : listing.split("\n")) {
            Matcher m = CONTENTS_LINE.matcher(line);
            if (!m.matches()) throw new AssertionError("unexpected dpkg-deb --contents line: " + line);
            String path = "/" + m.group(4).replaceAll("/$", "");
            modes.put(path, m.group(1));
            owners.put(path, m.group(2) + ":" + m.group(3));
        }
    }

    String name() {
        return built.program().name;
    }

    /** The jars in /usr/share/PACKAGE/lib, sorted file names. */
    List<String> shippedJars() {
        String lib = "/usr/share/" + name() + "/lib/";
        return modes.keySet().stream().filter(p -> p.startsWith(lib)).map(p -> p.substring(lib.length())).sorted().toList();
    }

    /**
     * The package ships exactly the jars its SBOM lists, one version per library, each byte-identical to the
     * jar Maven resolved, 0644.
     */
    void assertShipsExactlyTheSbomsJars(Path work) throws IOException {
        List<String> shipped = shippedJars();
        assertEquals(Packages.sbomJars(built.program()), shipped, "jars in the package against the SBOM");
        assertTrue(shipped.stream().anyMatch(p -> p.matches(Pattern.quote(name()) + "-[0-9][^/]*\\.jar")), "the program's own jar: " + shipped);
        // One version per library: two would mean a stale jar from an earlier build, and the JVM would load either.
        Map<String, List<String>> byArtifact = new java.util.TreeMap<>();
        for (String jar : shipped) {
            byArtifact.computeIfAbsent(jar.replaceFirst("-\\d[^-]*(-SNAPSHOT)?\\.jar$", ""), k -> new ArrayList<>()).add(jar);
        }
        byArtifact.forEach((artifact, versions) -> assertEquals(1, versions.size(), "versions of " + artifact + ": " + versions));
        Path root = Packages.extract(built, work.resolve("jars-" + name()));
        for (String jar : shipped) {
            assertEquals("-rw-r--r--", modes.get("/usr/share/" + name() + "/lib/" + jar), "mode of " + jar);
            assertEquals(-1L, Files.mismatch(Packages.jars().resolve(jar), root.resolve("usr/share/" + name() + "/lib/" + jar)),
                    jar + " is the jar Maven resolved, unchanged");
        }
    }

    /**
     * The SBOM ships in the package unchanged, and the licence report names every shipped jar with a licence,
     * as the copyright file does.
     */
    void assertShipsItsSbomAndALicenceForEveryJar(Path work) throws IOException {
        Path root = Packages.extract(built, work.resolve("doc-" + name()));
        Path doc = root.resolve("usr/share/doc/" + name());
        assertEquals(-1L, Files.mismatch(built.program().sbom(), doc.resolve("sbom.cdx.xml")), "the SBOM the module made");
        List<String> report = Files.readAllLines(doc.resolve("licences.txt")).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(shippedJars(), report.stream().map(l -> l.split("\t")[0]).toList(), "one report line per shipped jar");
        String copyright = Files.readString(doc.resolve("copyright"));
        for (String line : report) {
            String[] f = line.split("\t");
            assertEquals(3, f.length, line);
            assertTrue(f[1].startsWith("pkg:maven/"), "package URL of " + f[0] + ": " + line);
            assertTrue(!f[2].isBlank() && !f[2].contains("name:"), "a known licence for " + f[0] + ": " + line);
            assertTrue(copyright.contains(" " + f[0] + ": " + f[2] + "\n"), "copyright names " + f[0] + " and its licence");
        }
    }

    /** The package's files plus the host's own units, so systemd-analyze resolves the unit as it would once installed. */
    Path unitRoot(Path dir) throws IOException {
        Path root = Packages.extract(built, dir);
        Path units = root.resolve("usr/lib/systemd/system");
        // Regular files only (the host's masked units are symlinks to /dev/null), never one of our own
        // files (ours is the package's), and a file dpkg renames away meanwhile is simply skipped.
        try (Stream<Path> host = Files.list(Path.of("/usr/lib/systemd/system"))) {
            for (Path unit : host.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                String unitName = unit.getFileName().toString();
                Path target = units.resolve(unitName);
                if (unitName.startsWith(name()) || Files.exists(target)) continue;
                try {
                    Files.copy(unit, target);
                } catch (java.nio.file.NoSuchFileException vanished) {
                    // renamed by a package operation running at the same time
                }
            }
        }
        Files.createDirectories(root.resolve("etc/systemd/system"));
        return root;
    }

    /** systemd-analyze security --offline on the package's unit: the exposure and the open items (✗). */
    record Exposure(double score, List<String> open, String output) {
    }

    Exposure exposure(Path dir) throws IOException {
        Path root = unitRoot(dir);
        Command.Result security = Command.of("systemd-analyze", "security", "--offline=yes", "--no-pager",
                "--root=" + root, name() + ".service").run();
        Matcher m = Pattern.compile("Overall exposure level for " + Pattern.quote(name()) + "\\.service: (\\d+\\.\\d+)")
                .matcher(security.output());
        assertTrue(m.find(), security.describe());
        List<String> open = new ArrayList<>();
        security.output().lines().filter(l -> l.startsWith("✗")).forEach(l -> open.add(l.split("\\s+")[1]));
        return new Exposure(Double.parseDouble(m.group(1)), List.copyOf(open), security.output());
    }

    /** systemd-analyze verify accepts the unit with the package's paths in place, and rejects it without its command. */
    void assertSystemdAcceptsTheUnitAndNoticesAMissingCommand(Path dir) throws IOException {
        Path root = unitRoot(dir);
        String unit = name() + ".service";
        Command.Result verify = Command.of("systemd-analyze", "verify", "--man=no", "--root=" + root, unit).run();
        assertEquals(0, verify.exit(), verify.describe());
        assertEquals("", verify.output().trim(), "systemd-analyze verify printed warnings:\n" + verify.describe());
        // The same check fails when the command the unit starts is not there: it is not a rubber stamp.
        Files.delete(root.resolve("usr/bin/" + name()));
        Command.Result broken = Command.of("systemd-analyze", "verify", "--man=no", "--root=" + root, unit).run();
        assertTrue(broken.exit() != 0, broken.describe());
        assertTrue(broken.output().contains("/usr/bin/" + name()), broken.describe());
    }

    /** postinst, prerm, postrm: executable #!/bin/sh with set -e, valid shell. */
    void assertMaintainerScriptsAreValidShellThatStopsAtTheFirstError(Path dir) {
        Command.of("dpkg-deb", "--control", built.deb().toString(), dir.toString()).run().requireSuccess();
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = dir.resolve(script);
            assertTrue(Files.isExecutable(file), script + " is executable");
            assertTrue(Host.read(file).startsWith("#!/bin/sh\n"), script + " starts with #!/bin/sh");
            assertTrue(Host.read(file).contains("\nset -e\n"), script + " runs with set -e");
            Command.of("sh", "-n", file.toString()).run().requireSuccess();
        }
    }

    void assertLintianFindsNoErrorsAndNoWarnings() {
        LintianRun lintian = LintianRun.of(built.deb());
        assertEquals(List.of(), lintian.tagsOfSeverity("E"), "lintian errors:\n" + lintian.output());
        assertEquals(List.of(), lintian.tagsOfSeverity("W"),
                "lintian warnings (explain each in src/deb/" + name() + "/lintian-overrides or fix it):\n" + lintian.output());
    }
}
