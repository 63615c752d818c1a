package io.aigateway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Each service's image (src/main/docker/Dockerfile.jvm) agrees with its Deployment and with how the build packages
 * it: the port it exposes is the container port, its user is the pod's runAsUser (non-root), it copies the directory
 * layout the root pom's package type produces and starts quarkus-run.jar. No image is built here (no container
 * engine on the build machines: docs/kubernetes.md, "Images").
 */
class DockerfilesTest {

    @Test
    void everyDeploymentHasAMatchingDockerfile() throws IOException {
        String pom = Files.readString(Kubectl.repoRoot().resolve("pom.xml"));
        Matcher type = Pattern.compile("<quarkus.package.jar.type>([a-z-]+)</quarkus.package.jar.type>").matcher(pom);
        assertTrue(type.find(), "quarkus.package.jar.type in the root pom");
        assertTrue(List.of("aot-jar", "fast-jar").contains(type.group(1)),
                "the Dockerfiles copy the quarkus-app directory layout of aot-jar/fast-jar, the build makes " + type.group(1));

        List<HasMetadata> objects = OverlaysTest.render("dev");
        for (Deployment d : ManifestChecker.ofKind(objects, Deployment.class)) {
            String name = d.getMetadata().getName();
            Path dockerfile = Kubectl.repoRoot().resolve(name).resolve("src/main/docker/Dockerfile.jvm");
            assertTrue(Files.isRegularFile(dockerfile), dockerfile + " exists");
            String text = Files.readString(dockerfile);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);

            assertEquals(String.valueOf(c.getPorts().get(0).getContainerPort()), single(text, "(?m)^EXPOSE (\\d+)$"),
                    name + ": EXPOSE is the container port");
            String user = single(text, "(?m)^USER (\\d+)(?::\\d+)?$");
            assertEquals(String.valueOf(pod.getSecurityContext().getRunAsUser()), user, name + ": USER is runAsUser");
            assertTrue(!"0".equals(user), name + ": not root");
            for (String part : List.of("lib/", "quarkus-run.jar", "app/", "quarkus/")) {
                assertTrue(text.contains("COPY target/quarkus-app/" + part), name + " copies target/quarkus-app/" + part);
            }
            assertTrue(text.contains("ENTRYPOINT [\"java\", \"-jar\", \"/deployments/quarkus-run.jar\"]"), name);
            String ignore = Files.readString(Kubectl.repoRoot().resolve(name).resolve(".dockerignore"));
            assertTrue(ignore.contains("!target/quarkus-app"), name + ": .dockerignore lets target/quarkus-app in");
        }
    }

    private static String single(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        String value = m.group(1);
        assertTrue(!m.find(), "more than one match for " + regex);
        return value;
    }
}
