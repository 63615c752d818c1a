package io.aigateway.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@link ManifestChecker.Rules} for this repository, taken from the code and docs they must agree with. */
final class Expectations {

    /**
     * Who calls whom (docs/architecture.md, "Who may call what"): per service, the services whose pods may open
     * connections to it. adapter- and usage-service call nobody.
     */
    static final Map<String, Set<String>> CALLERS = Map.of(
            "gateway-edge", Set.of(),
            "admin-service", Set.of("gateway-edge"),
            "routing-service", Set.of("gateway-edge", "admin-service"),
            "adapter-service", Set.of("routing-service", "admin-service"),
            "usage-service", Set.of("gateway-edge", "admin-service"));

    /** Reachable from outside the namespace (the Ingress controller): the public API and the admin API. */
    static final Set<String> EXTERNAL = Set.of("gateway-edge", "admin-service");

    private Expectations() {
    }

    static ManifestChecker.Rules rules(boolean pinnedImages) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        List<String> edge = new ArrayList<>(List.of("/v1/*", "/api/v1/ai/*"));
        edge.addAll(edgeWebUiPaths());
        routes.put("gateway-edge", edge);
        routes.put("admin-service", List.of("/api/v1/ai/admin/*"));
        return new ManifestChecker.Rules(CALLERS, EXTERNAL, routes, pinnedImages, documentedSecrets());
    }

    /** The web UI's public paths: quarkus.http.auth.permission.web-ui.paths of gateway-edge. */
    static List<String> edgeWebUiPaths() {
        Path file = Kubectl.repoRoot().resolve("gateway-edge/src/main/resources/application.properties");
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String paths = props.getProperty("quarkus.http.auth.permission.web-ui.paths");
        if (paths == null) {
            throw new IllegalStateException("quarkus.http.auth.permission.web-ui.paths not found in " + file);
        }
        return Arrays.stream(paths.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    /** The Secret names in the first column of the Secrets table of docs/kubernetes.md ("| `aigw-…` |"). */
    static Set<String> documentedSecrets() {
        Path file = Kubectl.repoRoot().resolve("docs/kubernetes.md");
        Set<String> names = new TreeSet<>();
        try {
            Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9][a-z0-9-]*)` \\|").matcher(Files.readString(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
