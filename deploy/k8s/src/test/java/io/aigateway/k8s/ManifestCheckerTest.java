package io.aigateway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Every invariant of {@link ManifestChecker} can fail: each test breaks one thing in a freshly rendered overlay (dev,
 * or prod where the object exists only there) and asserts that the checker names it.
 */
class ManifestCheckerTest {

    private static String devYaml;
    private static String prodYaml;

    @BeforeAll
    static void render() {
        devYaml = Kubectl.kustomize(Kubectl.moduleDir().resolve("overlays/dev"));
        prodYaml = Kubectl.kustomize(Kubectl.moduleDir().resolve("overlays/prod"));
    }

    // ---- harness ---------------------------------------------------------------------------------------------------

    private static List<String> breakDev(Consumer<List<HasMetadata>> breaker) {
        return breakAndCheck(devYaml, false, breaker);
    }

    private static List<String> breakProd(Consumer<List<HasMetadata>> breaker) {
        return breakAndCheck(prodYaml, true, breaker);
    }

    private static List<String> breakAndCheck(String yaml, boolean prod, Consumer<List<HasMetadata>> breaker) {
        List<HasMetadata> objects = new ArrayList<>(StrictManifestParser.parse(yaml));
        assertEquals(List.of(), ManifestChecker.check(objects, Expectations.rules(prod)), "the unbroken overlay passes");
        breaker.accept(objects);
        return ManifestChecker.check(objects, Expectations.rules(prod));
    }

    private static void assertFlags(List<String> violations, String... expected) {
        for (String e : expected) {
            assertTrue(violations.stream().anyMatch(v -> v.contains(e)),
                    "expected a violation containing '" + e + "', got:\n  " + String.join("\n  ", violations));
        }
    }

    private static <T extends HasMetadata> T get(List<HasMetadata> objects, Class<T> type, String name) {
        return ManifestChecker.ofKind(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(type.getSimpleName() + " " + name + " not rendered"));
    }

    private static PodSpec pod(List<HasMetadata> objects, String deployment) {
        return get(objects, Deployment.class, deployment).getSpec().getTemplate().getSpec();
    }

    private static Container container(List<HasMetadata> objects, String deployment) {
        return pod(objects, deployment).getContainers().get(0);
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }

    private static NetworkPolicyPeer pods(String app) {
        return new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelectorBuilder()
                .withMatchLabels(Map.of(ManifestChecker.APP, app)).build()).build();
    }

    // ---- probes --------------------------------------------------------------------------------------------------

    @Test
    void missingProbeIsFlagged() {
        assertFlags(breakDev(o -> container(o, "routing-service").setReadinessProbe(null)),
                "Deployment routing-service, container routing-service: no readinessProbe");
        assertFlags(breakDev(o -> container(o, "usage-service").setStartupProbe(null)), "no startupProbe");
        assertFlags(breakDev(o -> container(o, "admin-service").setLivenessProbe(null)), "no livenessProbe");
    }

    @Test
    void probeOnTheWrongPathOrPortIsFlagged() {
        assertFlags(breakDev(o -> container(o, "gateway-edge").getLivenessProbe().getHttpGet().setPath("/q/health/ready")),
                "livenessProbe checks /q/health/ready, not /q/health/live");
        assertFlags(breakDev(o -> container(o, "adapter-service").getStartupProbe().getHttpGet()
                .setPort(new IntOrString("management"))), "startupProbe port management is not a container port");
    }

    // ---- resources -------------------------------------------------------------------------------------------------

    @Test
    void missingRequestOrLimitIsFlagged() {
        assertFlags(breakDev(o -> container(o, "gateway-edge").getResources().getLimits().remove("memory")),
                "gateway-edge: no memory limit");
        assertFlags(breakDev(o -> container(o, "usage-service").getResources().getRequests().remove("cpu")),
                "usage-service: no cpu request");
        assertFlags(breakDev(o -> container(o, "admin-service").getResources().getRequests()
                .put("memory", new Quantity("1Gi"))), "memory request 1Gi is above its limit");
    }

    // ---- security context ------------------------------------------------------------------------------------------

    @Test
    void rootOrWritableOrPrivilegedContainersAreFlagged() {
        assertFlags(breakDev(o -> container(o, "routing-service").getSecurityContext().setRunAsNonRoot(false)),
                "routing-service: runAsNonRoot is not true");
        assertFlags(breakDev(o -> container(o, "routing-service").getSecurityContext().setRunAsUser(0L)),
                "runs as user 0");
        assertFlags(breakDev(o -> container(o, "adapter-service").getSecurityContext().setReadOnlyRootFilesystem(false)),
                "adapter-service: readOnlyRootFilesystem is not true");
        assertFlags(breakDev(o -> container(o, "usage-service").getSecurityContext().setAllowPrivilegeEscalation(true)),
                "allowPrivilegeEscalation is not false");
        assertFlags(breakDev(o -> container(o, "admin-service").getSecurityContext().getCapabilities().setDrop(List.of())),
                "capabilities do not drop ALL");
        assertFlags(breakDev(o -> pod(o, "gateway-edge").getSecurityContext().setSeccompProfile(null)),
                "seccompProfile is not RuntimeDefault");
        assertFlags(breakDev(o -> container(o, "gateway-edge").getVolumeMounts().clear()), "/tmp is not an emptyDir volume");
        assertFlags(breakDev(o -> pod(o, "gateway-edge").setAutomountServiceAccountToken(null)),
                "automountServiceAccountToken must be false");
    }

    // ---- no inline secret values -------------------------------------------------------------------------------------

    @Test
    void secretWithValuesIsFlagged() {
        assertFlags(breakDev(o -> o.add(new SecretBuilder().withNewMetadata().withName("aigw-database").endMetadata()
                .withStringData(Map.of("password", "hunter2")).build())),
                "Secret aigw-database: carries values in the manifests (stringData)");
        assertFlags(breakDev(o -> o.add(new SecretBuilder().withNewMetadata().withName("x").endMetadata()
                .withData(Map.of("k", "aHVudGVyMg==")).build())), "Secret x: carries values in the manifests (data)");
    }

    @Test
    void secretLikeEnvironmentWithAnInlineValueIsFlagged() {
        assertFlags(breakDev(o -> {
            EnvVar token = env(container(o, "gateway-edge"), "AIGW_TOKEN_EDGE");
            token.setValueFrom(null);
            token.setValue("a-token-in-the-manifest");
        }), "env AIGW_TOKEN_EDGE: a secret-like variable has an inline value");
        assertFlags(breakDev(o -> container(o, "adapter-service").getEnv().add(new EnvVarBuilder()
                .withName("AIGW_PROVIDERS_OPENAI_API_KEY").withValue("sk-123").build())),
                "env AIGW_PROVIDERS_OPENAI_API_KEY: a secret-like variable has an inline value");
        assertFlags(breakDev(o -> container(o, "usage-service").getEnv().add(new EnvVarBuilder()
                .withName("DB_CREDENTIAL").withNewValueFrom().withNewConfigMapKeyRef("QUARKUS_DATASOURCE_USERNAME",
                        aigwExternal(o), false).endValueFrom().build())),
                "env DB_CREDENTIAL: a secret-like variable comes from ConfigMap");
        assertFlags(breakDev(o -> container(o, "usage-service").getEnv().add(new EnvVarBuilder()
                .withName("QUARKUS_REDIS_HOSTS_EXTRA").withValue("redis://:pw@redis:6379").build())),
                "a URL with inline credentials");
    }

    @Test
    void secretLikeConfigMapKeysAndUrlCredentialsAreFlagged() {
        assertFlags(breakDev(o -> configMap(o, "aigw-external").getData().put("QUARKUS_DATASOURCE_PASSWORD", "x")),
                "key QUARKUS_DATASOURCE_PASSWORD looks like a secret");
        assertFlags(breakDev(o -> configMap(o, "aigw-external").getData()
                .put("QUARKUS_REDIS_HOSTS", "redis://default:s3cret@redis:6379/0")),
                "key QUARKUS_REDIS_HOSTS holds a URL with inline credentials");
    }

    @Test
    void undocumentedSecretReferenceIsFlagged() {
        assertFlags(breakDev(o -> env(container(o, "routing-service"), "QUARKUS_DATASOURCE_PASSWORD").getValueFrom()
                .getSecretKeyRef().setName("routing-db")), "Secret routing-db is referenced but not among the Secrets");
    }

    @Test
    void missingConfigMapKeyIsFlagged() {
        assertFlags(breakDev(o -> configMap(o, "aigw-external").getData().remove("KAFKA_BOOTSTRAP_SERVERS")),
                "env KAFKA_BOOTSTRAP_SERVERS: ConfigMap aigw-external");
    }

    private static ConfigMap configMap(List<HasMetadata> objects, String prefix) {
        return ManifestChecker.ofKind(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith(prefix + "-")).findFirst().orElseThrow();
    }

    private static String aigwExternal(List<HasMetadata> objects) {
        return configMap(objects, "aigw-external").getMetadata().getName();
    }

    // ---- Services ------------------------------------------------------------------------------------------------------

    @Test
    void serviceSelectingNoneOrSeveralDeploymentsIsFlagged() {
        assertFlags(breakDev(o -> get(o, Service.class, "routing-service").getSpec()
                .setSelector(Map.of(ManifestChecker.APP, "routing"))), "Service routing-service: selector",
                "matches 0 Deployments");
        assertFlags(breakDev(o -> get(o, Service.class, "usage-service").getSpec()
                .setSelector(Map.of("app.kubernetes.io/part-of", "ai-gateway"))), "matches 5 Deployments");
    }

    @Test
    void serviceTargetingAPortNoContainerHasIsFlagged() {
        assertFlags(breakDev(o -> get(o, Service.class, "adapter-service").getSpec().getPorts().get(0)
                .setTargetPort(new IntOrString(9999))), "Service adapter-service: port 8082 targets 9999");
        assertFlags(breakDev(o -> get(o, Service.class, "adapter-service").getSpec().getPorts().get(0)
                .setTargetPort(new IntOrString("web"))), "targets web, which is not a container port");
    }

    // ---- NetworkPolicies ---------------------------------------------------------------------------------------------

    @Test
    void missingDefaultDenyIsFlagged() {
        assertFlags(breakDev(o -> o.remove(get(o, NetworkPolicy.class, "default-deny-ingress"))),
                "no default-deny ingress NetworkPolicy");
    }

    @Test
    void internalServiceAdmittingANonCallerIsFlagged() {
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "routing-service").getSpec().getIngress().get(0).getFrom()
                .add(pods("usage-service"))), "admits usage-service, which is not a caller of routing-service");
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "adapter-service").getSpec().getIngress().get(0).getFrom()
                .add(pods("gateway-edge"))), "admits gateway-edge, which is not a caller of adapter-service");
    }

    @Test
    void internalServiceOpenToOtherNamespacesOrEveryoneIsFlagged() {
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "usage-service").getSpec().getIngress().get(0).getFrom()
                .add(new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
                        .addToMatchLabels("kubernetes.io/metadata.name", "ingress-nginx").endNamespaceSelector().build())),
                "admits other namespaces, but usage-service must be reachable only from inside");
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "adapter-service").getSpec().getIngress().get(0)
                .setFrom(List.of())), "NetworkPolicy adapter-service (for adapter-service): a rule admits every source");
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "usage-service").getSpec().getIngress().get(0).getFrom()
                .add(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("0.0.0.0/0").endIpBlock().build())),
                "admits an IP block 0.0.0.0/0");
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "routing-service").getSpec().getIngress().get(0)
                .setPorts(List.of())), "a rule admits every port");
    }

    @Test
    void callerThatCannotReachItsServiceIsFlagged() {
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "adapter-service").getSpec().getIngress().get(0).getFrom()
                .removeIf(p -> "admin-service".equals(p.getPodSelector().getMatchLabels().get(ManifestChecker.APP)))),
                "admin-service cannot reach adapter-service");
        assertFlags(breakDev(o -> get(o, NetworkPolicy.class, "gateway-edge").getSpec().setIngress(
                List.<NetworkPolicyIngressRule>of())), "gateway-edge is not reachable from the Ingress controller");
    }

    // ---- HPAs ----------------------------------------------------------------------------------------------------------

    @Test
    void hpaTargetingNoDeploymentIsFlagged() {
        assertFlags(breakProd(o -> get(o, HorizontalPodAutoscaler.class, "routing-service").getSpec().getScaleTargetRef()
                .setName("router")), "HorizontalPodAutoscaler routing-service: scales apps/v1 Deployment router");
        assertFlags(breakProd(o -> get(o, HorizontalPodAutoscaler.class, "adapter-service").getSpec().getScaleTargetRef()
                .setKind("StatefulSet")), "which is not a Deployment of the manifests");
        assertFlags(breakProd(o -> get(o, HorizontalPodAutoscaler.class, "gateway-edge").getSpec().setMaxReplicas(1)),
                "replica range 3..1 is not valid");
    }

    @Test
    void autoscaledDeploymentSettingReplicasIsFlagged() {
        assertFlags(breakProd(o -> get(o, Deployment.class, "gateway-edge").getSpec().setReplicas(2)),
                "Deployment gateway-edge: sets spec.replicas although a HorizontalPodAutoscaler scales it");
    }

    // ---- PDBs ----------------------------------------------------------------------------------------------------------

    @Test
    void pdbSelectingNoPodsIsFlagged() {
        assertFlags(breakDev(o -> get(o, PodDisruptionBudget.class, "admin-service").getSpec().getSelector()
                .setMatchLabels(Map.of(ManifestChecker.APP, "admin"))),
                "PodDisruptionBudget admin-service: selects the pods of 0 Deployments");
    }

    @Test
    void pdbBlockingEveryEvictionIsFlagged() {
        assertFlags(breakDev(o -> {
            var spec = get(o, PodDisruptionBudget.class, "usage-service").getSpec();
            spec.setMaxUnavailable(null);
            spec.setMinAvailable(new IntOrString(1));
        }), "PodDisruptionBudget usage-service: allows no voluntary disruption of usage-service (1 replicas)");
        assertFlags(breakProd(o -> get(o, PodDisruptionBudget.class, "routing-service").getSpec()
                .setMaxUnavailable(new IntOrString(0))), "allows no voluntary disruption of routing-service");
    }

    // ---- Ingresses -----------------------------------------------------------------------------------------------------

    @Test
    void ingressBackendThatDoesNotExistIsFlagged() {
        assertFlags(breakDev(o -> edgePaths(o).get(0).getBackend().getService().setName("edge")),
                "backend Service edge is not in the manifests");
        assertFlags(breakDev(o -> edgePaths(o).get(0).getBackend().getService().getPort().setName("https")),
                "backend port https is not a port of Service gateway-edge");
    }

    @Test
    void ingressExposingHealthMetricsOrInternalRoutesIsFlagged() {
        assertFlags(breakDev(o -> edgePaths(o).get(0).setPath("/")), "path / (Prefix) exposes /q/** or /internal/**");
        assertFlags(breakDev(o -> edgePaths(o).get(1).setPath("/q/metrics")), "path /q/metrics");
        assertFlags(breakDev(o -> edgePaths(o).get(1).setPath("/internal")), "path /internal");
    }

    @Test
    void publicPathWithoutARouteIsFlagged() {
        assertFlags(breakDev(o -> edgePaths(o).removeIf(p -> p.getPath().equals("/settings"))),
                "Ingress: no path routes /settings to Service gateway-edge");
        assertFlags(breakDev(o -> edgePaths(o).removeIf(p -> p.getPath().equals("/assets"))),
                "no path routes /assets/* to Service gateway-edge");
        assertFlags(breakDev(o -> get(o, Ingress.class, "admin-service").getSpec().getRules().get(0).getHttp().getPaths()
                .get(0).setPath("/api/v1/ai/admin/keys")), "no path routes /api/v1/ai/admin/* to Service admin-service");
    }

    private static List<HTTPIngressPath> edgePaths(List<HasMetadata> objects) {
        return get(objects, Ingress.class, "gateway-edge").getSpec().getRules().get(0).getHttp().getPaths();
    }

    // ---- images ----------------------------------------------------------------------------------------------------

    @Test
    void unpinnedImageInProdIsFlagged() {
        assertFlags(breakProd(o -> container(o, "usage-service").setImage("registry.example.com/aigw/usage-service:latest")),
                "usage-service: image registry.example.com/aigw/usage-service:latest is not pinned");
        assertFlags(breakProd(o -> container(o, "admin-service").setImage("registry.example.com:5000/aigw/admin-service")),
                "is not pinned");
        assertFlags(breakProd(o -> container(o, "gateway-edge").setImage("aigw/gateway-edge:0.1.0-SNAPSHOT")),
                "is not pinned");
        assertTrue(breakProd(o -> container(o, "gateway-edge").setImage(
                "registry.example.com/aigw/gateway-edge@sha256:" + "a".repeat(64))).isEmpty(), "a digest is pinned");
    }

    @Test
    void secretWordsAreMatchedAsWholeNameParts() {
        assertTrue(ManifestChecker.looksSecret("AIGW_PROVIDERS_OPENAI_API_KEY"));
        assertTrue(ManifestChecker.looksSecret("edge-token-sha256"));
        assertTrue(ManifestChecker.looksSecret("QUARKUS_DATASOURCE_PASSWORD"));
        assertTrue(ManifestChecker.looksSecret("client.secret"));
        assertTrue(!ManifestChecker.looksSecret("AIGW_KEYCLOAK_URL"));
        assertTrue(!ManifestChecker.looksSecret("AIGW_KEYS_MAX_PER_USER"));
        assertTrue(!ManifestChecker.looksSecret("QUARKUS_DATASOURCE_USERNAME"));
    }
}
