package io.aigateway.k8s;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The invariants every rendered overlay must hold (docs/kubernetes.md, "Validation"). {@link #check} returns one line
 * per violation, naming the object; an empty list means the manifests pass.
 */
final class ManifestChecker {

    /** The label that names a service's pods (and the Deployment they belong to). */
    static final String APP = "app.kubernetes.io/name";

    static final String STARTED = "/q/health/started";
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";

    /** Name parts that mark an environment variable or ConfigMap key as a secret. */
    private static final Set<String> SECRET_WORDS = Set.of("PASSWORD", "PASSWD", "PASS", "SECRET", "SECRETS", "KEY",
            "APIKEY", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "SHA256", "JAAS");
    /** user:password@ in a URL. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("://[^/@\\s]*:[^/@\\s]+@");

    /**
     * What the checks compare against.
     *
     * @param callers           per service (its pods' app label): the services whose pods may reach it, from
     *                          docs/architecture.md; every Deployment must be listed
     * @param external          services that may also be reached from outside their namespace (the Ingress controller)
     * @param requiredRoutes    per Service: the request paths an Ingress must route to it
     * @param pinnedImages      images must carry a release tag (not latest, not a SNAPSHOT) or a digest
     * @param documentedSecrets the Secret names the documentation tells the operator to create; every reference must
     *                          be one of them
     */
    record Rules(Map<String, Set<String>> callers, Set<String> external, Map<String, List<String>> requiredRoutes,
            boolean pinnedImages, Set<String> documentedSecrets) {
    }

    private final Rules rules;
    private final List<String> violations = new ArrayList<>();

    private ManifestChecker(Rules rules) {
        this.rules = rules;
    }

    static List<String> check(List<HasMetadata> objects, Rules rules) {
        ManifestChecker c = new ManifestChecker(rules);
        c.run(objects);
        return List.copyOf(c.violations);
    }

    private void run(List<HasMetadata> objects) {
        List<Deployment> deployments = ofKind(objects, Deployment.class);
        List<Service> services = ofKind(objects, Service.class);
        List<ConfigMap> configMaps = ofKind(objects, ConfigMap.class);
        List<HorizontalPodAutoscaler> hpas = ofKind(objects, HorizontalPodAutoscaler.class);
        if (deployments.isEmpty()) {
            violation("the manifests contain no Deployment");
        }
        for (Deployment d : deployments) {
            checkDeployment(d, configMaps, hpas);
        }
        for (Secret s : ofKind(objects, Secret.class)) {
            checkSecret(s);
        }
        for (ConfigMap cm : configMaps) {
            checkConfigMap(cm);
        }
        for (Service s : services) {
            checkService(s, deployments);
        }
        checkNetworkPolicies(ofKind(objects, NetworkPolicy.class), deployments);
        for (HorizontalPodAutoscaler h : hpas) {
            checkHpa(h, deployments);
        }
        for (PodDisruptionBudget p : ofKind(objects, PodDisruptionBudget.class)) {
            checkPdb(p, deployments, hpas);
        }
        checkIngresses(ofKind(objects, Ingress.class), services);
        checkSecretReferences(objects);
    }

    // ---- Deployments: probes, resources, security, configuration references, images ------------------------------

    private void checkDeployment(Deployment d, List<ConfigMap> configMaps, List<HorizontalPodAutoscaler> hpas) {
        String where = "Deployment " + name(d);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Map<String, String> podLabels = labels(d);
        if (!matches(d.getSpec().getSelector(), podLabels)) {
            violation(where + ": its selector does not match its pod template's labels");
        }
        if (!rules.callers().containsKey(podLabels.get(APP))) {
            violation(where + ": pods labelled " + APP + "=" + podLabels.get(APP)
                    + " are not a known service (no callers are defined for it)");
        }
        boolean autoscaled = hpas.stream().anyMatch(h -> name(d).equals(h.getSpec().getScaleTargetRef().getName()));
        if (autoscaled && d.getSpec().getReplicas() != null) {
            violation(where + ": sets spec.replicas although a HorizontalPodAutoscaler scales it (every apply would"
                    + " reset the count)");
        }
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            violation(where + ": automountServiceAccountToken must be false (the services never call the Kubernetes API)");
        }
        PodSecurityContext podSec = pod.getSecurityContext();
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            String cw = where + ", container " + c.getName();
            checkProbes(cw, c, pod.getInitContainers() != null && pod.getInitContainers().contains(c));
            checkResources(cw, c);
            checkSecurity(cw, c, podSec, pod);
            checkEnv(cw, c, configMaps);
            checkImage(cw, c.getImage());
        }
    }

    private void checkProbes(String where, Container c, boolean init) {
        if (init) {
            return; // init containers run to completion: probes do not apply
        }
        checkProbe(where, "startupProbe", c.getStartupProbe(), STARTED, c);
        checkProbe(where, "livenessProbe", c.getLivenessProbe(), LIVE, c);
        checkProbe(where, "readinessProbe", c.getReadinessProbe(), READY, c);
    }

    private void checkProbe(String where, String kind, Probe probe, String path, Container c) {
        if (probe == null) {
            violation(where + ": no " + kind);
            return;
        }
        if (probe.getHttpGet() == null) {
            violation(where + ": " + kind + " is not an HTTP GET of " + path);
            return;
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            violation(where + ": " + kind + " checks " + probe.getHttpGet().getPath() + ", not " + path);
        }
        if (!isContainerPort(probe.getHttpGet().getPort(), List.of(c))) {
            violation(where + ": " + kind + " port " + text(probe.getHttpGet().getPort()) + " is not a container port");
        }
    }

    private void checkResources(String where, Container c) {
        var res = c.getResources();
        Map<String, Quantity> requests = res == null || res.getRequests() == null ? Map.of() : res.getRequests();
        Map<String, Quantity> limits = res == null || res.getLimits() == null ? Map.of() : res.getLimits();
        for (String r : List.of("cpu", "memory")) {
            if (!requests.containsKey(r)) {
                violation(where + ": no " + r + " request");
            }
            if (!limits.containsKey(r)) {
                violation(where + ": no " + r + " limit");
            }
            if (requests.containsKey(r) && limits.containsKey(r)
                    && amount(requests.get(r)).compareTo(amount(limits.get(r))) > 0) {
                violation(where + ": " + r + " request " + requests.get(r) + " is above its limit " + limits.get(r));
            }
        }
    }

    private void checkSecurity(String where, Container c, PodSecurityContext pod, PodSpec spec) {
        SecurityContext sc = c.getSecurityContext();
        Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
                : pod != null ? pod.getRunAsNonRoot() : null;
        if (!Boolean.TRUE.equals(nonRoot)) {
            violation(where + ": runAsNonRoot is not true");
        }
        Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : pod != null ? pod.getRunAsUser() : null;
        if (user != null && user == 0L) {
            violation(where + ": runs as user 0");
        }
        if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            violation(where + ": readOnlyRootFilesystem is not true");
        }
        if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            violation(where + ": allowPrivilegeEscalation is not false");
        }
        if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
            violation(where + ": privileged");
        }
        if (sc == null || sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                || !sc.getCapabilities().getDrop().contains("ALL")) {
            violation(where + ": capabilities do not drop ALL");
        } else if (sc.getCapabilities().getAdd() != null && !sc.getCapabilities().getAdd().isEmpty()) {
            violation(where + ": adds capabilities " + sc.getCapabilities().getAdd());
        }
        var seccomp = sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile()
                : pod != null ? pod.getSeccompProfile() : null;
        if (seccomp == null || !"RuntimeDefault".equals(seccomp.getType())) {
            violation(where + ": seccompProfile is not RuntimeDefault");
        }
        // a read-only root needs a writable /tmp (the JVM and Vert.x write there)
        VolumeMount tmp = c.getVolumeMounts() == null ? null
                : c.getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath())).findFirst().orElse(null);
        Volume vol = tmp == null || spec.getVolumes() == null ? null
                : spec.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElse(null);
        if (vol == null || vol.getEmptyDir() == null) {
            violation(where + ": /tmp is not an emptyDir volume");
        }
    }

    private void checkEnv(String where, Container c, List<ConfigMap> configMaps) {
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            String ew = where + ", env " + e.getName();
            boolean secretName = looksSecret(e.getName());
            if (e.getValue() != null) {
                if (secretName) {
                    violation(ew + ": a secret-like variable has an inline value (use secretKeyRef)");
                } else if (URL_CREDENTIALS.matcher(e.getValue()).find()) {
                    violation(ew + ": a URL with inline credentials");
                }
            }
            var from = e.getValueFrom();
            if (from != null && from.getConfigMapKeyRef() != null) {
                var ref = from.getConfigMapKeyRef();
                if (secretName) {
                    violation(ew + ": a secret-like variable comes from ConfigMap " + ref.getName() + " (use secretKeyRef)");
                }
                ConfigMap cm = byName(configMaps, ref.getName());
                if (!Boolean.TRUE.equals(ref.getOptional())
                        && (cm == null || cm.getData() == null || !cm.getData().containsKey(ref.getKey()))) {
                    violation(ew + ": ConfigMap " + ref.getName() + " with key " + ref.getKey() + " is not in the manifests");
                }
            } else if (secretName && (from == null || from.getSecretKeyRef() == null)) {
                violation(ew + ": a secret-like variable does not come from a secretKeyRef");
            }
        }
        for (EnvFromSource f : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
            if (f.getConfigMapRef() != null && !Boolean.TRUE.equals(f.getConfigMapRef().getOptional())
                    && byName(configMaps, f.getConfigMapRef().getName()) == null) {
                violation(where + ": envFrom ConfigMap " + f.getConfigMapRef().getName() + " is not in the manifests");
            }
        }
    }

    private void checkImage(String where, String image) {
        if (image == null || image.isBlank()) {
            violation(where + ": no image");
            return;
        }
        if (!rules.pinnedImages() || image.contains("@sha256:")) {
            return;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        String tag = colon < 0 ? "" : last.substring(colon + 1);
        if (tag.isEmpty() || tag.equals("latest") || tag.endsWith("-SNAPSHOT")) {
            violation(where + ": image " + image + " is not pinned to a release tag or digest");
        }
    }

    // ---- Secrets and ConfigMaps: no inline secret values ---------------------------------------------------------

    private void checkSecret(Secret s) {
        boolean data = s.getData() != null && !s.getData().isEmpty();
        boolean stringData = s.getStringData() != null && !s.getStringData().isEmpty();
        if (data || stringData) {
            violation("Secret " + name(s) + ": carries values in the manifests (" + (data ? "data" : "stringData")
                    + "); Secrets are created by the operator, the manifests only reference them");
        }
    }

    private void checkConfigMap(ConfigMap cm) {
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        data.forEach((k, v) -> {
            if (looksSecret(k)) {
                violation("ConfigMap " + name(cm) + ": key " + k + " looks like a secret (Secrets hold those)");
            }
            if (v != null && URL_CREDENTIALS.matcher(v).find()) {
                violation("ConfigMap " + name(cm) + ": key " + k + " holds a URL with inline credentials");
            }
        });
        if (cm.getBinaryData() != null && !cm.getBinaryData().isEmpty()) {
            violation("ConfigMap " + name(cm) + ": binaryData cannot be checked for secrets");
        }
    }

    static boolean looksSecret(String name) {
        for (String part : name.toUpperCase(java.util.Locale.ROOT).split("[^A-Z0-9]+")) {
            if (SECRET_WORDS.contains(part)) {
                return true;
            }
        }
        return false;
    }

    private void checkSecretReferences(List<HasMetadata> objects) {
        Set<String> referenced = new TreeSet<>();
        for (Deployment d : ofKind(objects, Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            for (Container c : pod.getContainers()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        referenced.add(e.getValueFrom().getSecretKeyRef().getName());
                    }
                }
                for (EnvFromSource f : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                    if (f.getSecretRef() != null) {
                        referenced.add(f.getSecretRef().getName());
                    }
                }
            }
            for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
                if (v.getSecret() != null) {
                    referenced.add(v.getSecret().getSecretName());
                }
            }
        }
        for (Ingress i : ofKind(objects, Ingress.class)) {
            for (IngressTLS tls : i.getSpec().getTls() == null ? List.<IngressTLS>of() : i.getSpec().getTls()) {
                referenced.add(tls.getSecretName());
            }
        }
        for (String s : referenced) {
            if (!rules.documentedSecrets().contains(s)) {
                violation("Secret " + s + " is referenced but not among the Secrets docs/kubernetes.md tells the operator"
                        + " to create " + rules.documentedSecrets());
            }
        }
    }

    // ---- Services -------------------------------------------------------------------------------------------------

    private void checkService(Service s, List<Deployment> deployments) {
        String where = "Service " + name(s);
        Map<String, String> selector = s.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            violation(where + ": no selector");
            return;
        }
        List<Deployment> selected = deployments.stream()
                .filter(d -> labels(d).entrySet().containsAll(selector.entrySet())).toList();
        if (selected.size() != 1) {
            violation(where + ": selector " + selector + " matches " + selected.size()
                    + " Deployments' pods (must be exactly one)");
            return;
        }
        List<Container> containers = selected.get(0).getSpec().getTemplate().getSpec().getContainers();
        for (ServicePort p : s.getSpec().getPorts()) {
            IntOrString target = p.getTargetPort() != null ? p.getTargetPort() : new IntOrString(p.getPort());
            if (!isContainerPort(target, containers)) {
                violation(where + ": port " + p.getPort() + " targets " + text(target) + ", which is not a container port"
                        + " of Deployment " + name(selected.get(0)));
            }
        }
    }

    // ---- NetworkPolicies: default deny, each service reachable only from its callers -----------------------------

    private void checkNetworkPolicies(List<NetworkPolicy> policies, List<Deployment> deployments) {
        boolean defaultDeny = policies.stream().anyMatch(p -> isEmpty(p.getSpec().getPodSelector())
                && p.getSpec().getPolicyTypes() != null && p.getSpec().getPolicyTypes().contains("Ingress")
                && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty()));
        if (!defaultDeny) {
            violation("no default-deny ingress NetworkPolicy (empty podSelector, policyTypes [Ingress], no rules)");
        }
        for (Deployment target : deployments) {
            String app = labels(target).get(APP);
            Set<String> expected = rules.callers().getOrDefault(app, Set.of());
            Set<String> admitted = new TreeSet<>();
            boolean externalAdmitted = false;
            List<Container> containers = target.getSpec().getTemplate().getSpec().getContainers();
            for (NetworkPolicy p : policies) {
                if (!matches(p.getSpec().getPodSelector(), labels(target)) || p.getSpec().getIngress() == null) {
                    continue;
                }
                if (p.getSpec().getPolicyTypes() != null && !p.getSpec().getPolicyTypes().contains("Ingress")) {
                    continue;
                }
                String where = "NetworkPolicy " + name(p) + " (for " + app + ")";
                for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                    if (rule.getPorts() == null || rule.getPorts().isEmpty()) {
                        violation(where + ": a rule admits every port");
                    } else {
                        for (NetworkPolicyPort port : rule.getPorts()) {
                            if (port.getPort() == null || !isContainerPort(port.getPort(), containers)) {
                                violation(where + ": admits port " + text(port.getPort())
                                        + ", which is not a container port");
                            }
                        }
                    }
                    if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                        violation(where + ": a rule admits every source");
                        continue;
                    }
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        if (peer.getIpBlock() != null) {
                            violation(where + ": admits an IP block " + peer.getIpBlock().getCidr());
                        } else if (peer.getNamespaceSelector() != null) {
                            externalAdmitted = true;
                            if (!rules.external().contains(app)) {
                                violation(where + ": admits other namespaces, but " + app
                                        + " must be reachable only from inside");
                            } else if (isEmpty(peer.getNamespaceSelector())) {
                                violation(where + ": admits every namespace (name the Ingress controller's)");
                            }
                        } else if (peer.getPodSelector() != null) {
                            List<Deployment> sources = deployments.stream()
                                    .filter(d -> matches(peer.getPodSelector(), labels(d))).toList();
                            if (sources.isEmpty() || isEmpty(peer.getPodSelector())) {
                                violation(where + ": a peer selects " + (sources.isEmpty() ? "no" : "every")
                                        + " service's pods");
                            }
                            for (Deployment src : sources) {
                                String caller = labels(src).get(APP);
                                admitted.add(caller);
                                if (!expected.contains(caller)) {
                                    violation(where + ": admits " + caller + ", which is not a caller of " + app);
                                }
                            }
                        }
                    }
                }
            }
            for (String caller : expected) {
                if (!admitted.contains(caller)) {
                    violation("NetworkPolicies: " + caller + " cannot reach " + app + ", one of its callers");
                }
            }
            if (rules.external().contains(app) && !externalAdmitted) {
                violation("NetworkPolicies: " + app + " is not reachable from the Ingress controller");
            }
        }
    }

    // ---- HPAs, PDBs ------------------------------------------------------------------------------------------------

    private void checkHpa(HorizontalPodAutoscaler h, List<Deployment> deployments) {
        String where = "HorizontalPodAutoscaler " + name(h);
        var ref = h.getSpec().getScaleTargetRef();
        if (!"Deployment".equals(ref.getKind()) || !"apps/v1".equals(ref.getApiVersion())
                || byName(deployments, ref.getName()) == null) {
            violation(where + ": scales " + ref.getApiVersion() + " " + ref.getKind() + " " + ref.getName()
                    + ", which is not a Deployment of the manifests");
        }
        int min = h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
        if (min < 1 || h.getSpec().getMaxReplicas() == null || h.getSpec().getMaxReplicas() < min) {
            violation(where + ": replica range " + min + ".." + h.getSpec().getMaxReplicas() + " is not valid");
        }
        if (h.getSpec().getMetrics() == null || h.getSpec().getMetrics().isEmpty()) {
            violation(where + ": no metrics");
        }
    }

    private void checkPdb(PodDisruptionBudget p, List<Deployment> deployments, List<HorizontalPodAutoscaler> hpas) {
        String where = "PodDisruptionBudget " + name(p);
        LabelSelector selector = p.getSpec().getSelector();
        List<Deployment> selected = isEmpty(selector) ? List.of()
                : deployments.stream().filter(d -> matches(selector, labels(d))).toList();
        if (selected.size() != 1) {
            violation(where + ": selects the pods of " + selected.size() + " Deployments (must be exactly one)");
            return;
        }
        Deployment d = selected.get(0);
        int replicas = hpas.stream().filter(h -> name(d).equals(h.getSpec().getScaleTargetRef().getName()))
                .map(h -> h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas()).findFirst()
                .orElse(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas());
        IntOrString maxUnavailable = p.getSpec().getMaxUnavailable();
        IntOrString minAvailable = p.getSpec().getMinAvailable();
        boolean allowsEviction;
        if (maxUnavailable != null) {
            allowsEviction = maxUnavailable.getIntVal() != null ? maxUnavailable.getIntVal() > 0
                    : !"0%".equals(maxUnavailable.getStrVal());
        } else if (minAvailable != null && minAvailable.getIntVal() != null) {
            allowsEviction = minAvailable.getIntVal() < replicas;
        } else {
            allowsEviction = minAvailable == null || !"100%".equals(minAvailable.getStrVal());
        }
        if (!allowsEviction) {
            violation(where + ": allows no voluntary disruption of " + name(d) + " (" + replicas
                    + " replicas): node drains would block");
        }
    }

    // ---- Ingresses ---------------------------------------------------------------------------------------------------

    private void checkIngresses(List<Ingress> ingresses, List<Service> services) {
        Map<String, List<HTTPIngressPath>> routed = new LinkedHashMap<>();
        for (Ingress i : ingresses) {
            String where = "Ingress " + name(i);
            if (i.getSpec().getDefaultBackend() != null) {
                violation(where + ": a default backend routes every path");
                checkBackend(where, i.getSpec().getDefaultBackend(), services);
            }
            for (IngressRule r : i.getSpec().getRules() == null ? List.<IngressRule>of() : i.getSpec().getRules()) {
                if (r.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath p : r.getHttp().getPaths()) {
                    String path = p.getPath() == null ? "/" : p.getPath();
                    String type = p.getPathType();
                    if (!"Exact".equals(type) && !"Prefix".equals(type)) {
                        violation(where + ": path " + path + " has pathType " + type + " (use Exact or Prefix)");
                    }
                    if (("/".equals(path) && !"Exact".equals(type)) || path.startsWith("/q/") || path.equals("/q")
                            || path.startsWith("/internal")) {
                        violation(where + ": path " + path + " (" + type + ") exposes /q/** or /internal/** outside");
                    }
                    checkBackend(where + ", path " + path, p.getBackend(), services);
                    if (p.getBackend() != null && p.getBackend().getService() != null) {
                        routed.computeIfAbsent(p.getBackend().getService().getName(), k -> new ArrayList<>()).add(p);
                    }
                }
            }
        }
        rules.requiredRoutes().forEach((service, paths) -> {
            for (String required : paths) {
                boolean prefix = required.endsWith("/*");
                String path = prefix ? required.substring(0, required.length() - 2) : required;
                boolean covered = routed.getOrDefault(service, List.of()).stream().anyMatch(p -> covers(p, path, prefix));
                if (!covered) {
                    violation("Ingress: no path routes " + required + " to Service " + service);
                }
            }
        });
    }

    private static boolean covers(HTTPIngressPath p, String path, boolean prefixNeeded) {
        String ip = p.getPath();
        if ("Exact".equals(p.getPathType())) {
            return !prefixNeeded && ip.equals(path);
        }
        return ip.equals(path) || path.startsWith(ip.endsWith("/") ? ip : ip + "/");
    }

    private void checkBackend(String where, IngressBackend backend, List<Service> services) {
        if (backend == null || backend.getService() == null) {
            violation(where + ": no Service backend");
            return;
        }
        Service s = byName(services, backend.getService().getName());
        if (s == null) {
            violation(where + ": backend Service " + backend.getService().getName() + " is not in the manifests");
            return;
        }
        var port = backend.getService().getPort();
        boolean found = port != null && s.getSpec().getPorts().stream().anyMatch(sp ->
                (port.getName() != null && port.getName().equals(sp.getName()))
                        || (port.getNumber() != null && port.getNumber().equals(sp.getPort())));
        if (!found) {
            violation(where + ": backend port " + (port == null ? "(none)"
                    : port.getName() != null ? port.getName() : port.getNumber())
                    + " is not a port of Service " + name(s));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private void violation(String message) {
        violations.add(message);
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private static <T extends HasMetadata> T byName(List<T> objects, String name) {
        return objects.stream().filter(o -> Objects.equals(name(o), name)).findFirst().orElse(null);
    }

    private static String name(HasMetadata o) {
        return o.getMetadata() == null ? null : o.getMetadata().getName();
    }

    private static Map<String, String> labels(Deployment d) {
        var meta = d.getSpec().getTemplate().getMetadata();
        return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    private static boolean isEmpty(LabelSelector s) {
        return s == null || ((s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty()));
    }

    /** Kubernetes label-selector semantics (an empty selector matches everything). */
    static boolean matches(LabelSelector s, Map<String, String> labels) {
        if (s == null) {
            return false;
        }
        if (s.getMatchLabels() != null && !labels.entrySet().containsAll(s.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : s.getMatchExpressions() == null ? List.<LabelSelectorRequirement>of()
                : s.getMatchExpressions()) {
            String v = labels.get(r.getKey());
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            boolean ok = switch (r.getOperator()) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isContainerPort(IntOrString port, List<Container> containers) {
        if (port == null) {
            return false;
        }
        for (Container c : containers) {
            for (ContainerPort cp : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (port.getIntVal() != null ? port.getIntVal().equals(cp.getContainerPort())
                        : port.getStrVal() != null && port.getStrVal().equals(cp.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(IntOrString v) {
        return v == null ? "(none)" : v.getIntVal() != null ? String.valueOf(v.getIntVal()) : v.getStrVal();
    }

    private static BigDecimal amount(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }
}
