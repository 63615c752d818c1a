package io.aigateway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The strict parse refuses what the Kubernetes API would not know (no kubectl needed). */
class StrictManifestParserTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              replicas: 2
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      %s
            """;

    private static String deployment(String containerLine) {
        return DEPLOYMENT.formatted(containerLine);
    }

    private static String failure(String yaml) {
        return assertThrows(StrictManifestParser.ManifestException.class, () -> StrictManifestParser.parse(yaml))
                .getMessage();
    }

    @Test
    void wellFormedObjectsParseIntoTheirModelClass() {
        List<HasMetadata> objects = StrictManifestParser.parse(deployment("ports: [{containerPort: 8080}]")
                + "---\napiVersion: v1\nkind: Service\nmetadata: {name: demo}\nspec:\n  selector: {app: demo}\n"
                + "  ports: [{port: 80, targetPort: 8080}]\n---\n");
        assertEquals(2, objects.size());
        Deployment d = (Deployment) objects.get(0);
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals(8080, d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort());
    }

    @Test
    void misspelledFieldFailsWithItsPath() {
        String message = failure(deployment("readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}"));
        assertTrue(message.contains("document 1 (Deployment demo)"), message);
        assertTrue(message.contains("readinesProbe"), message);
        assertTrue(message.contains("spec.template.spec.containers[0]"), message);
    }

    @Test
    void fieldAtTheWrongLevelFails() {
        String message = failure(deployment("runAsNonRoot: true"));
        assertTrue(message.contains("runAsNonRoot"), message);
    }

    @Test
    void unknownTopLevelFieldFails() {
        String message = failure("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\nstringData: {x: y}\n");
        assertTrue(message.contains("stringData"), message);
    }

    @Test
    void unknownKindOrApiVersionFails() {
        assertTrue(failure("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\n")
                .contains("'apps/v1/StatefulSet' is not one of"));
        assertTrue(failure(deployment("ports: []").replace("apps/v1", "extensions/v1beta1"))
                .contains("'extensions/v1beta1/Deployment'"));
    }

    @Test
    void wrongValueTypeFails() {
        String message = failure(deployment("ports: [{containerPort: http}]"));
        assertTrue(message.contains("containerPort") || message.contains("ports"), message);
    }
}
