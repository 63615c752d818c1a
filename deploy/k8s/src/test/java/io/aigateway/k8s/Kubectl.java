package io.aigateway.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization with {@code kubectl kustomize} (Debian package kubectl; it renders offline, no cluster).
 * Without kubectl the tests that need it fail in CI ({@code CI=true}, as .ci/run sets it) and are skipped, with the
 * reason, elsewhere.
 */
final class Kubectl {

    private Kubectl() {
    }

    /** The module directory (deploy/k8s), from the build (surefire sets aigw.k8s.dir) or the working directory. */
    static Path moduleDir() {
        String dir = System.getProperty("aigw.k8s.dir");
        return dir != null ? Path.of(dir) : Path.of("").toAbsolutePath();
    }

    /** The repository root. */
    static Path repoRoot() {
        return moduleDir().resolve("../..").normalize();
    }

    static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Fails (CI) or skips (elsewhere) the calling test when kubectl is not installed. */
    static String require() {
        String kubectl = executable();
        if (kubectl == null) {
            String ci = System.getenv("CI");
            String reason = "kubectl not found on the PATH (Debian package kubectl): the Kubernetes manifests in deploy/k8s"
                    + " are NOT rendered or validated";
            if ("true".equalsIgnoreCase(ci) || "1".equals(ci)) {
                fail(reason);
            }
            System.err.println("WARNING: " + reason + " (test skipped; in CI this fails)");
            Assumptions.abort(reason);
        }
        return kubectl;
    }

    /** {@code kubectl kustomize <dir>}: the rendered YAML, or a test failure with kubectl's message. */
    static String kustomize(Path dir) {
        String kubectl = require();
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                        .redirectError(err.toFile())
                        .start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("kubectl kustomize " + dir + " did not finish within 60 s");
                }
                if (p.exitValue() != 0) {
                    fail("kubectl kustomize " + dir + " failed (exit " + p.exitValue() + "): " + Files.readString(err));
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("running kubectl kustomize " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
