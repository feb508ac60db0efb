import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The licence report of a package, derived from the CycloneDX SBOM the build made for it (bom.xml of the
 * cyclonedx-maven-plugin), run by build-deb with the JDK's source launcher:
 *
 * <pre>java LicenceReport.java --sbom bom.xml --lib DIR_OF_JARS --allow licences-allowed</pre>
 *
 * ({@code java LicenceReport.java --sbom bom.xml --list-jars} prints the jar file names the SBOM lists:
 * build-deb ships exactly those.) It prints one line per bundled jar (file, package URL, licences) and exits 1 when a jar is not in the
 * SBOM, an SBOM component is not shipped, or a component has no allowed licence. A Maven POM listing
 * several licences offers a choice between them (POM reference, "Licenses"), so one allowed licence is
 * enough. Licences the plugin could not resolve to an SPDX id appear by name; the allow-list file maps
 * the names we accept to the SPDX id they are ("name: Bouncy Castle Licence = MIT").
 */
public final class LicenceReport {
    private static final String OWN_GROUP = "org.stationtrust";
    private static final String OWN_LICENCE = "station-trust";

    record Component(String group, String name, String version, String purl, List<String> licences) {
        String jarName() {
            return name + "-" + version + ".jar";
        }
    }

    record Policy(Set<String> allowed, Map<String, String> names) {
        /** The SPDX id (or "name:..." when unmapped) the report uses for one licence of the SBOM. */
        String normalise(String licence) {
            return licence.startsWith("name:") ? names.getOrDefault(licence.substring(5).strip(), licence) : licence;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--sbom") && args[2].equals("--list-jars")) {
            for (Component c : components(Path.of(args[1]))) System.out.println(c.jarName());
            return;
        }
        Map<String, String> options = options(args);
        Path sbom = Path.of(options.get("--sbom"));
        Path lib = Path.of(options.get("--lib"));
        Policy policy = policy(Path.of(options.get("--allow")));
        List<String> problems = new ArrayList<>();
        Map<String, Component> byJar = new TreeMap<>();
        for (Component c : components(sbom)) byJar.put(c.jarName(), c);
        Set<String> jars = new TreeSet<>();
        try (Stream<Path> files = Files.list(lib)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(jars::add);
        }
        StringBuilder report = new StringBuilder();
        for (String jar : jars) {
            Component c = byJar.get(jar);
            if (c == null) {
                problems.add(jar + ": not in the SBOM " + sbom + " (the package would ship a jar the SBOM does not list)");
                continue;
            }
            List<String> licences = c.group().equals(OWN_GROUP) ? List.of(OWN_LICENCE)
                    : c.licences().stream().map(policy::normalise).toList();
            if (!c.group().equals(OWN_GROUP) && licences.stream().noneMatch(policy.allowed()::contains)) {
                problems.add(jar + " (" + c.purl() + "): licence " + (licences.isEmpty() ? "not declared" : licences)
                        + " is not in the allow-list " + options.get("--allow"));
            }
            report.append(jar).append('\t').append(c.purl()).append('\t').append(String.join(" OR ", licences)).append('\n');
        }
        byJar.keySet().stream().filter(j -> !jars.contains(j))
                .forEach(j -> problems.add(j + ": listed in the SBOM but not shipped in " + lib));
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("licence-report: " + p));
            System.exit(1);
        }
        System.out.print(report);
    }

    /** The libraries of the SBOM plus its main component (the application jar itself). */
    static List<Component> components(Path sbom) throws IOException {
        Document doc = parse(sbom);
        List<Component> result = new ArrayList<>();
        NodeList metadata = doc.getDocumentElement().getElementsByTagName("metadata");
        if (metadata.getLength() != 1) throw new IllegalArgumentException(sbom + ": expected one <metadata>");
        Element main = child((Element) metadata.item(0), "component");
        if (main == null) throw new IllegalArgumentException(sbom + ": <metadata> names no <component>");
        result.add(component(main));
        Element list = child(doc.getDocumentElement(), "components");
        if (list != null) {
            NodeList nodes = list.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element e && e.getLocalName().equals("component")) result.add(component(e));
            }
        }
        return result;
    }

    private static Component component(Element e) {
        List<String> licences = new ArrayList<>();
        Element licencesElement = child(e, "licenses");
        if (licencesElement != null) {
            NodeList nodes = licencesElement.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (!(nodes.item(i) instanceof Element l)) continue;
                if (l.getLocalName().equals("expression")) {
                    licences.add(l.getTextContent().strip());
                } else if (child(l, "id") != null) {
                    licences.add(text(l, "id"));
                } else {
                    licences.add("name:" + text(l, "name"));
                }
            }
        }
        return new Component(text(e, "group"), text(e, "name"), text(e, "version"), text(e, "purl"), List.copyOf(licences));
    }

    private static Document parse(Path file) throws IOException {
        if (Files.size(file) > 16 * 1024 * 1024) throw new IllegalArgumentException(file + " is larger than 16 MiB");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // An SBOM has no DTD; refusing one keeps external entities out (OWASP XXE prevention).
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalArgumentException(file + " is not a CycloneDX XML document: " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(e.getLocalName())) return e;
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().strip();
    }

    /** Lines "SPDX-ID" (allowed) and "name: Licence Name = SPDX-ID" (how an unresolved name is read); # comments. */
    static Policy policy(Path file) throws IOException {
        Set<String> allowed = new TreeSet<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) continue;
            if (line.startsWith("name:")) {
                String[] parts = line.substring(5).split("=", 2);
                if (parts.length != 2) throw new IllegalArgumentException(file + ": expected 'name: NAME = SPDX-ID', saw " + raw);
                names.put(parts[0].strip(), parts[1].strip());
            } else if (line.matches("[A-Za-z0-9.+-]+")) {
                allowed.add(line);
            } else {
                throw new IllegalArgumentException(file + ": expected an SPDX licence id, saw " + raw);
            }
        }
        return new Policy(Set.copyOf(allowed), Map.copyOf(names));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i], args[i + 1]);
        for (String required : List.of("--sbom", "--lib", "--allow")) {
            if (!options.containsKey(required) || options.size() != 3 || args.length != 6) {
                System.err.println("usage: java LicenceReport.java --sbom bom.xml --lib DIR_OF_JARS --allow licences-allowed\n"
                        + "       java LicenceReport.java --sbom bom.xml --list-jars");
                System.exit(2);
            }
        }
        return options;
    }
}
