package io.aigateway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/**
 * Renders every overlay of deploy/k8s with {@code kubectl kustomize}, parses each object strictly with the fabric8
 * model and checks the invariants of {@link ManifestChecker}. Prints the object counts per overlay.
 */
class OverlaysTest {

    static final Set<String> SERVICES = Expectations.CALLERS.keySet();

    static List<HasMetadata> render(String overlay) {
        String yaml = Kubectl.kustomize(Kubectl.moduleDir().resolve("overlays").resolve(overlay));
        return StrictManifestParser.parse(yaml);
    }

    static Map<String, Long> counts(List<HasMetadata> objects) {
        return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new, Collectors.counting()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayRendersParsesStrictlyAndHoldsEveryInvariant(String overlay) {
        List<HasMetadata> objects = render(overlay);
        System.out.println("deploy/k8s/overlays/" + overlay + ": " + objects.size() + " objects " + counts(objects));

        List<String> violations = ManifestChecker.check(objects, Expectations.rules(overlay.equals("prod")));
        assertTrue(violations.isEmpty(), overlay + ":\n  " + String.join("\n  ", violations));

        // one Deployment and one Service per service, a PDB each; no Secret objects at all
        Set<String> deployments = ManifestChecker.ofKind(objects, Deployment.class).stream()
                .map(d -> d.getMetadata().getName()).collect(Collectors.toSet());
        assertEquals(SERVICES, deployments);
        assertEquals(5, counts(objects).get("Service"));
        assertEquals(5, counts(objects).get("PodDisruptionBudget"));
        assertEquals(2, counts(objects).get("Ingress"));
        assertTrue(ManifestChecker.ofKind(objects, Secret.class).isEmpty(), "no Secret is rendered");
        objects.forEach(o -> assertEquals(overlay.equals("prod") ? "aigw" : "aigw-dev",
                o.getKind().equals("Namespace") ? o.getMetadata().getName() : o.getMetadata().getNamespace(),
                o.getKind() + " " + o.getMetadata().getName()));
    }

    @Test
    void devRunsOneReplicaOfEachServiceWithoutAutoscaling() {
        List<HasMetadata> objects = render("dev");
        assertTrue(ManifestChecker.ofKind(objects, HorizontalPodAutoscaler.class).isEmpty());
        ManifestChecker.ofKind(objects, Deployment.class)
                .forEach(d -> assertEquals(1, d.getSpec().getReplicas(), d.getMetadata().getName()));
    }

    @Test
    void prodAutoscalesTheRequestPathAndPinsImages() {
        List<HasMetadata> objects = render("prod");
        Map<String, HorizontalPodAutoscaler> hpas = ManifestChecker.ofKind(objects, HorizontalPodAutoscaler.class).stream()
                .collect(Collectors.toMap(h -> h.getSpec().getScaleTargetRef().getName(), h -> h));
        assertEquals(Set.of("gateway-edge", "routing-service", "adapter-service"), hpas.keySet());
        hpas.values().forEach(h -> assertTrue(h.getSpec().getMinReplicas() >= 3, h.getMetadata().getName()));
        ManifestChecker.ofKind(objects, Deployment.class).forEach(d -> {
            String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            assertTrue(image.startsWith("registry.example.com/aigw/" + d.getMetadata().getName() + ":"), image);
        });
    }
}
