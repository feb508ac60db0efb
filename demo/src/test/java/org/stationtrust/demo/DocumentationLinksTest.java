package org.stationtrust.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository's Markdown and source comments point only inside the repository: every relative link of
 * every tracked {@code .md} file resolves to a file or directory of the checkout, and nothing cites the
 * design notes by a path outside it (docs/design.md says the repository's {@code docs/} is the source).
 */
class DocumentationLinksTest {
    /** Markdown inline links {@code [text](target)}; images too. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** Names of the notes that lived outside the repository before docs/ held them. */
    private static final Pattern OUTSIDE_NOTES = Pattern.compile(
            "/work/shared|\\.\\./shared/|\\bsbi-notes(\\.md)?\\b|\\btpm-notes(\\.md)?\\b|\\bDESIGN\\.md\\b");

    private static Path root;
    private static List<Path> markdown;

    @BeforeAll
    static void findRepository() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve(".git")) && !Files.isRegularFile(dir.resolve(".git"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "the tests run inside a git checkout");
        root = dir;
        markdown = files(".md");
    }

    @Test
    void everyRelativeMarkdownLinkResolvesInsideTheRepository() throws IOException {
        assertTrue(markdown.size() >= 10, "found only " + markdown.size() + " Markdown files under " + root);
        List<String> broken = new ArrayList<>();
        for (Path md : markdown) {
            String text = Files.readString(md, StandardCharsets.UTF_8);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")
                        || target.startsWith("#")) {
                    continue;
                }
                String path = target.replaceFirst("#.*$", "");
                Path resolved = md.getParent().resolve(path).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(root.relativize(md) + ": (" + target + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "links that do not resolve inside the repository");
    }

    @Test
    void noDocumentOrSourceCitesNotesOutsideTheRepository() throws IOException {
        List<String> citations = new ArrayList<>();
        List<Path> all = new ArrayList<>(markdown);
        all.addAll(files(".java"));
        for (Path file : all) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE_NOTES.matcher(lines.get(i)).find() && !file.endsWith("DocumentationLinksTest.java")) {
                    citations.add(root.relativize(file) + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), citations, "cite docs/design.md, docs/sbi-protocol.md or docs/tpm.md instead");
    }

    /** Tracked-looking files: everything under the root except build output and VCS folders. */
    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> {
                        String rel = root.relativize(p).toString();
                        return !rel.contains("/target/") && !rel.startsWith("target/") && !rel.startsWith(".git")
                                && !rel.contains("node_modules");
                    })
                    .sorted()
                    .toList();
        }
    }
}
