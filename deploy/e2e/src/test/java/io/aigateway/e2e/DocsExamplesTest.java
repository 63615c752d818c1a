package io.aigateway.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The guides cannot drift from the code they show. In docs/integration.md and docs/migrating-from-gemini.md:
 * <ul>
 *   <li>{@code <!-- example: docs/examples/… -->} must be followed by a fenced block whose content equals that file
 *       byte for byte (the files GuidesIT runs against the stack), and every example file must be shown somewhere;</li>
 *   <li>{@code <!-- excerpt: <path> -->} must be followed by a fenced block that occurs verbatim in that file (quotes of
 *       the project's own code, e.g. the web UI's API client);</li>
 *   <li>links go only to files inside the repository that exist.</li>
 * </ul>
 */
class DocsExamplesTest {

    static final List<String> GUIDES = List.of("docs/integration.md", "docs/migrating-from-gemini.md");
    private static final Pattern MARKER = Pattern.compile("<!-- (example|excerpt): (\\S+) -->");
    private static final Pattern HEADER = Pattern.compile("(?i)\\bx-(aigw|ratelimit|should|request)-[a-z0-9-]*");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    private final Path root = Path.of(System.getProperty("aigw.repo.root", "../..")).toAbsolutePath().normalize();

    @Test
    void everyMarkedBlockEqualsItsFile() throws IOException {
        Set<String> shown = new TreeSet<>();
        for (String guide : GUIDES) {
            List<String> problems = new ArrayList<>();
            int markers = 0;
            for (Block b : blocks(guide)) {
                markers++;
                Path file = root.resolve(b.path()).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    problems.add(guide + ":" + b.line() + ": no file " + b.path());
                    continue;
                }
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (b.kind().equals("example")) {
                    shown.add(b.path());
                    if (!text.equals(b.content())) {
                        problems.add(guide + ":" + b.line() + ": the block differs from " + b.path() + " at character "
                                + firstDifference(text, b.content()) + " (copy the file into the block again)");
                    }
                } else if (b.content().isBlank() || !text.contains(b.content())) {
                    problems.add(guide + ":" + b.line() + ": the excerpt is not in " + b.path());
                }
            }
            assertTrue(markers > 0, guide + " shows no checked code");
            assertEquals(List.of(), problems);
        }
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root.resolve("docs/examples"))) {
            s.filter(Files::isRegularFile)
             .filter(p -> !root.relativize(p).toString().contains("node_modules"))
             .filter(p -> p.toString().endsWith(".mjs") || p.toString().endsWith(".java"))
             .forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/')));
        }
        files.removeAll(shown);
        assertEquals(Set.of(), files, "example files no guide shows");
    }

    @Test
    void guidesLinkOnlyToFilesOfTheRepository() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String guide : GUIDES) {
            Path doc = root.resolve(guide);
            Matcher m = LINK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (target.contains("://") || target.startsWith("//") || target.startsWith("mailto:")) {
                    problems.add(guide + ": links outside the repository: " + target);
                } else if (!path.isEmpty() && !Files.exists(doc.getParent().resolve(path).normalize())) {
                    problems.add(guide + ": links to a missing file: " + target);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Every gateway header a guide names ({@code x-aigw-*}, {@code x-ratelimit-*}, …) is one the services' code uses. */
    @Test
    void everyHeaderTheGuidesNameExistsInTheCode() throws IOException {
        StringBuilder code = new StringBuilder();
        // the product modules' main code: <module>/src/main/java
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).forEach(sources::add);
        }
        for (Path src : sources) {
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    code.append(Files.readString(p, StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        assertTrue(code.indexOf("x-aigw-provider") >= 0, "the services' sources were read");
        Set<String> missing = new TreeSet<>();
        for (String guide : GUIDES) {
            Matcher m = HEADER.matcher(Files.readString(root.resolve(guide), StandardCharsets.UTF_8));
            while (m.find()) {
                String header = m.group().toLowerCase(java.util.Locale.ROOT).replaceAll("-+$", "");
                if (code.indexOf(header) < 0) {
                    missing.add(guide + ": " + header);
                }
            }
        }
        assertEquals(Set.of(), missing);
    }

    @Test
    void aChangedBlockIsFound() {
        // the parser the checks rely on: a marker, a fence with a language, the content, the closing fence
        List<Block> b = parse("x.md", "text\n<!-- example: a/b.mjs -->\n```js\nline 1\n\nline 3\n```\nmore\n");
        assertEquals(1, b.size());
        assertEquals("a/b.mjs", b.get(0).path());
        assertEquals("line 1\n\nline 3\n", b.get(0).content());
        assertThrows(AssertionError.class, () -> parse("x.md", "<!-- example: a.mjs -->\nno fence\n"));
        assertThrows(AssertionError.class, () -> parse("x.md", "<!-- example: a.mjs -->\n```js\nnot closed\n"));
        assertEquals(12, firstDifference("line 1\nline 2\n", "line 1\nline 3\n"));
    }

    record Block(String kind, String path, int line, String content) {
    }

    private List<Block> blocks(String guide) throws IOException {
        return parse(guide, Files.readString(root.resolve(guide), StandardCharsets.UTF_8));
    }

    static List<Block> parse(String name, String markdown) {
        String[] lines = markdown.split("\n", -1);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARKER.matcher(lines[i].trim());
            if (!m.matches()) {
                continue;
            }
            int open = i + 1;
            if (open >= lines.length || !lines[open].startsWith("```")) {
                fail(name + ":" + (i + 1) + ": the marker must be followed by a fenced block");
            }
            StringBuilder content = new StringBuilder();
            int j = open + 1;
            while (j < lines.length && !lines[j].equals("```")) {
                content.append(lines[j]).append('\n');
                j++;
            }
            if (j >= lines.length) {
                fail(name + ":" + (open + 1) + ": the fenced block is not closed");
            }
            out.add(new Block(m.group(1), m.group(2), i + 1, content.toString()));
            i = j;
        }
        return out;
    }

    static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }
}
