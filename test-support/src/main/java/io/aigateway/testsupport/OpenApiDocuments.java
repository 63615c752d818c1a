package io.aigateway.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The drift check of the committed OpenAPI documents ({@code docs/openapi/<service>.yaml}): a service's test fetches
 * what the running code serves at {@code /q/openapi?format=json} and hands it here. The document is written in one
 * canonical form (YAML, every map sorted by key, lists in their order), so the committed file changes only when the
 * API does. A difference fails with a unified-diff-like excerpt and the command that regenerates the file; with
 * {@code -Daigw.openapi.write=true} the file is written instead.
 */
public final class OpenApiDocuments {

    /** System property that makes {@link #assertCommitted} write the committed file instead of comparing. */
    public static final String WRITE_PROPERTY = "aigw.openapi.write";
    private static final int MAX_DIFF_LINES = 60;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private OpenApiDocuments() {
    }

    /** The canonical YAML form of an OpenAPI document given as JSON. */
    public static String canonicalYaml(String json) {
        try {
            Object tree = JSON.readValue(json, Object.class);
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a JSON document: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Compares the served document (JSON) with the committed file of {@code module}, {@code ../docs/openapi/<module>.yaml}
     * from the module's directory (Maven's working directory for tests).
     */
    public static void assertCommitted(String module, String servedJson) {
        assertCommitted(module, servedJson, Path.of("..", "docs", "openapi", module + ".yaml"));
    }

    static void assertCommitted(String module, String servedJson, Path committed) {
        String generated = canonicalYaml(servedJson);
        String regenerate = "deploy/bin/test -o -pl " + module + " -am -Dtest=OpenApiDocumentTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";
        try {
            if (Boolean.getBoolean(WRITE_PROPERTY)) {
                Files.createDirectories(committed.toAbsolutePath().getParent());
                Files.writeString(committed, generated, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(committed)) {
                throw new AssertionError(committed + " does not exist. Generate it with:\n  " + regenerate);
            }
            String current = Files.readString(committed, StandardCharsets.UTF_8);
            if (!current.equals(generated)) {
                throw new AssertionError(committed + " differs from the OpenAPI document the code serves"
                        + " (--- committed, +++ generated):\n" + diff(current, generated)
                        + "\nIf the API change is intended, regenerate the file and commit it:\n  " + regenerate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A unified-diff-like excerpt (longest common subsequence of lines, 2 lines of context, at most 60 lines). */
    static String diff(String a, String b) {
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        int n = x.size();
        int m = y.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && x.get(i).equals(y.get(j))) {
                ops.add("  " + (i + 1) + ": " + x.get(i));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add("- " + (i + 1) + ": " + x.get(i));
                i++;
            } else {
                ops.add("+ " + (j + 1) + ": " + y.get(j));
                j++;
            }
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        int lastShown = -1;
        for (int k = 0; k < ops.size() && shown < MAX_DIFF_LINES; k++) {
            boolean near = false;
            for (int d = -2; d <= 2; d++) {
                int idx = k + d;
                if (idx >= 0 && idx < ops.size() && !ops.get(idx).startsWith("  ")) {
                    near = true;
                    break;
                }
            }
            if (!near) {
                continue;
            }
            if (lastShown >= 0 && k > lastShown + 1) {
                out.append("@@\n");
            }
            out.append(ops.get(k)).append('\n');
            lastShown = k;
            shown++;
        }
        if (shown == MAX_DIFF_LINES) {
            out.append("… (more differences)\n");
        }
        return out.toString();
    }
}
