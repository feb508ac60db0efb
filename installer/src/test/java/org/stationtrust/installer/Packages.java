package org.stationtrust.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Builds the station-trust packages with the real {@code src/deb/build-deb} from the jars Maven copied
 * (target/jars) and each program's SBOM: the same command the package phase runs, at any version.
 */
final class Packages {
    /** The programs the installer packages: the name of the package, of its user, unit and command. */
    enum Program {
        STATION_AGENT("station-agent", "amd64"),
        SERVER_ENROLL("server-enroll", "all");

        final String name;
        final String architecture;

        Program(String name, String architecture) {
            this.name = name;
            this.architecture = architecture;
        }

        String mainClass() {
            return property("installer." + name + ".mainClass");
        }

        /** The CycloneDX SBOM the program's module made (bom.xml), as the installer copied it. */
        Path sbom() {
            return Path.of(property("installer." + name + ".sbom"));
        }

        Path unitFile() {
            return Path.of("/usr/lib/systemd/system/" + name + ".service");
        }

        String debFileName(String version) {
            return name + "_" + version.replace("-SNAPSHOT", "~SNAPSHOT") + "_" + architecture + ".deb";
        }
    }

    private Packages() {
    }

    /** A package on disk: the archive, its Debian version, and what the build printed. */
    record Built(Program program, Path deb, String version, Command.Result log) {
        Path signature() {
            return deb.resolveSibling(deb.getFileName() + ".asc");
        }
    }

    /** The Debian version of this Maven build: 0.1.0-SNAPSHOT becomes 0.1.0~SNAPSHOT. */
    static String debianVersion() {
        return property("installer.version").replace("-SNAPSHOT", "~SNAPSHOT");
    }

    /** Every jar either program needs, as Maven resolved them; a package takes those its SBOM lists. */
    static Path jars() {
        return Path.of(property("installer.jars"));
    }

    /** The jar file names the program's SBOM lists (its main component and every library), read independently of build-deb. */
    static List<String> sbomJars(Program program) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element bom = factory.newDocumentBuilder().parse(program.sbom().toFile()).getDocumentElement();
            NodeList components = bom.getElementsByTagNameNS("*", "component");
            java.util.List<String> jars = new java.util.ArrayList<>();
            for (int i = 0; i < components.getLength(); i++) {
                Element c = (Element) components.item(i);
                String parent = c.getParentNode().getLocalName();
                // metadata/component is the program itself; components/component its libraries; metadata/tools/... the plugin.
                if (!parent.equals("metadata") && !(parent.equals("components") && c.getParentNode().getParentNode() == bom)) continue;
                jars.add(childText(c, "name") + "-" + childText(c, "version") + ".jar");
            }
            return jars.stream().sorted().toList();
        } catch (Exception e) {
            throw new AssertionError("cannot read the SBOM " + program.sbom() + ": " + e, e);
        }
    }

    private static String childText(Element e, String name) {
        NodeList nodes = e.getElementsByTagNameNS("*", name);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }

    private static final Map<String, Built> UNSIGNED = new java.util.HashMap<>();
    private static Path unsignedDir;

    /**
     * An unsigned package of {@code version}, built once per test JVM and shared by the test classes
     * (read-only: tests that change a package copy it first). Deleted when the JVM exits.
     */
    static synchronized Built unsigned(Program program, String version) {
        String key = program.name + "_" + version;
        Built built = UNSIGNED.get(key);
        if (built != null) return built;
        try {
            if (unsignedDir == null) {
                unsignedDir = Files.createTempDirectory("station-trust-debs-");
                Path dir = unsignedDir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Command.of("rm", "-rf", dir.toString()).run()));
            }
            built = build(program, Files.createDirectories(unsignedDir.resolve(key)), version, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UNSIGNED.put(key, built);
        return built;
    }

    /** Builds into {@code outDir}; {@code environment} carries the signing keys, if any. */
    static Built build(Program program, Path outDir, String version, Map<String, String> environment) {
        Command.Result log = buildCommand(program, outDir, version, jars()).withEnvironment(environment).run().requireSuccess();
        Path deb = outDir.resolve(program.debFileName(version));
        if (!Files.isRegularFile(deb)) throw new AssertionError("build-deb said it succeeded but " + deb + " is missing:\n" + log.describe());
        return new Built(program, deb, version.replace("-SNAPSHOT", "~SNAPSHOT"), log);
    }

    static Command buildCommand(Program program, Path outDir, String version, Path jars) {
        return buildCommand(program, outDir, version, jars, program.sbom());
    }

    static Command buildCommand(Program program, Path outDir, String version, Path jars, Path sbom) {
        return Command.of("bash", property("installer.buildScript"), "--package", program.name, "--version", version,
                "--jars", jars.toString(), "--main-class", program.mainClass(), "--sbom", sbom.toString(),
                "--out", outDir.toString()).timeout(Duration.ofMinutes(3));
    }

    /** Unpacks the archive's files (not the control area) into {@code dir}, as dpkg would lay them out. */
    static Path extract(Built built, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.of("dpkg-deb", "-x", built.deb().toString(), dir.toString()).run().requireSuccess();
        return dir;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests through Maven"
                    + " (mvn -pl installer test), which sets it in the surefire configuration");
        }
        return value;
    }
}
