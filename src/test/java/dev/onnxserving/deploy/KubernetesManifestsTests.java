package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Every deployable kustomization (overlays and examples) rendered with kustomize, parsed strictly into Kubernetes
 * API types, and checked against the application it deploys: ports, probe paths, configuration keys, shutdown timing,
 * images, labels and security settings. The application runs (random port) so probe paths are asked, not guessed.
 */
@ServingEndToEndTest
class KubernetesManifestsTests {

    private static final String SERVER_CONTAINER = "onnx-serving";
    private static final Path DEPLOYMENT_DOCS = Path.of("docs/deployment.md");

    @Autowired
    private Http http;

    static Stream<Path> deployables() {
        return Kustomize.deployables();
    }

    /** One rendered kustomization, parsed. */
    record Rendered(Path source, List<HasMetadata> resources) {

        static Rendered of(Path kustomization) {
            return new Rendered(kustomization, StrictKubernetes.parse(Kustomize.build(kustomization)));
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return resources.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            assertThat(found)
                    .as("%s renders exactly one %s", source, type.getSimpleName())
                    .hasSize(1);
            return found.get(0);
        }

        Deployment deployment() {
            return one(Deployment.class);
        }

        PodSpec pod() {
            return deployment().getSpec().getTemplate().getSpec();
        }

        Map<String, String> podLabels() {
            return deployment().getSpec().getTemplate().getMetadata().getLabels();
        }

        Container server() {
            return pod().getContainers().stream()
                    .filter(container -> container.getName().equals(SERVER_CONTAINER))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(source + ": no container named " + SERVER_CONTAINER));
        }

        List<Container> allContainers() {
            List<Container> containers = new ArrayList<>(pod().getContainers());
            if (pod().getInitContainers() != null) {
                containers.addAll(pod().getInitContainers());
            }
            return containers;
        }

        /** The ConfigMap mounted as the config tree, by its generated name. */
        ConfigMap servingConfig() {
            String name = pod().getVolumes().stream()
                    .filter(volume -> volume.getConfigMap() != null)
                    .map(volume -> volume.getConfigMap().getName())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(source + ": no ConfigMap volume"));
            return all(ConfigMap.class).stream()
                    .filter(map -> map.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(source + ": ConfigMap " + name + " is not rendered"));
        }

        /** Environment variables with literal values: the image's, overridden by the container's. */
        Map<String, String> literalEnvironment() {
            Map<String, String> environment =
                    new LinkedHashMap<>(Dockerfile.read().env());
            for (EnvVar variable : server().getEnv()) {
                if (variable.getValue() != null) {
                    environment.put(variable.getName(), variable.getValue());
                }
            }
            return environment;
        }

        /** The configuration the service sees in this pod: application.yaml, the config tree, the environment. */
        Binder configuration() {
            return ConfigurationProperties.podConfiguration(servingConfig().getData(), literalEnvironment());
        }

        int serverPort() {
            return configuration().bind("server.port", Integer.class).orElse(8080);
        }

        ContainerPort httpPort() {
            return server().getPorts().stream()
                    .filter(port -> "http".equals(port.getName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(source + ": no container port named http"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void rendersIntoKnownKubernetesTypesWithEveryPartOfTheService(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);

        assertThat(rendered.deployment().getSpec().getReplicas())
                .as("replicas is left to the HorizontalPodAutoscaler; re-applying must not reset it")
                .isNull();
        rendered.one(Service.class);
        rendered.one(HorizontalPodAutoscaler.class);
        rendered.one(PodDisruptionBudget.class);
        rendered.servingConfig();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void containerPortIsThePortTheServiceListensOn(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        int serverPort = rendered.serverPort();

        assertThat(rendered.httpPort().getContainerPort()).isEqualTo(serverPort);
        assertThat(Dockerfile.read().exposedPorts()).contains(serverPort);
        assertThat(rendered.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", Integer.toString(serverPort));
        for (var servicePort : rendered.one(Service.class).getSpec().getPorts()) {
            assertThat(refersTo(servicePort.getTargetPort(), rendered.httpPort()))
                    .as("Service port %s targets the container's http port", servicePort.getName())
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void probeAndScrapePathsAnswerOnTheRunningService(Path kustomization) throws Exception {
        Rendered rendered = Rendered.of(kustomization);
        Container server = rendered.server();
        Set<String> paths = new LinkedHashSet<>();
        for (Probe probe : List.of(server.getStartupProbe(), server.getLivenessProbe(), server.getReadinessProbe())) {
            assertThat(probe)
                    .as("%s: startup, liveness and readiness probes", kustomization)
                    .isNotNull();
            HTTPGetAction get = probe.getHttpGet();
            assertThat(refersTo(get.getPort(), rendered.httpPort())).isTrue();
            paths.add(get.getPath());
        }
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        paths.add(rendered.deployment()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("prometheus.io/path"));
        for (ServiceMonitor monitor : rendered.all(ServiceMonitor.class)) {
            monitor.getSpec().getEndpoints().forEach(endpoint -> paths.add(endpoint.getPath()));
        }

        for (String path : paths) {
            assertThat(http.get(path).status()).as("GET %s", path).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void selectorsMatchTheLabelsTheySelect(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        Map<String, String> podLabels = rendered.podLabels();
        Deployment deployment = rendered.deployment();
        Service service = rendered.one(Service.class);

        assertThat(matches(deployment.getSpec().getSelector(), podLabels)).isTrue();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(matches(rendered.one(PodDisruptionBudget.class).getSpec().getSelector(), podLabels))
                .isTrue();
        rendered.pod()
                .getTopologySpreadConstraints()
                .forEach(constraint -> assertThat(matches(constraint.getLabelSelector(), podLabels))
                        .isTrue());
        var target = rendered.one(HorizontalPodAutoscaler.class).getSpec().getScaleTargetRef();
        assertThat(target.getKind()).isEqualTo("Deployment");
        assertThat(target.getName()).isEqualTo(deployment.getMetadata().getName());
        for (ServiceMonitor monitor : rendered.all(ServiceMonitor.class)) {
            assertThat(matches(
                            monitor.getSpec().getSelector(),
                            service.getMetadata().getLabels()))
                    .isTrue();
            List<String> servicePorts = service.getSpec().getPorts().stream()
                    .map(port -> port.getName())
                    .toList();
            monitor.getSpec()
                    .getEndpoints()
                    .forEach(endpoint -> assertThat(servicePorts).contains(endpoint.getPort()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void everyContainerHasCpuAndMemoryRequestsWithinItsLimits(Path kustomization) {
        for (Container container : Rendered.of(kustomization).allContainers()) {
            var resources = container.getResources();
            assertThat(resources.getLimits())
                    .as("%s: limits of container %s", kustomization, container.getName())
                    .containsKeys("cpu", "memory");
            assertThat(resources.getRequests())
                    .as("%s: requests of container %s", kustomization, container.getName())
                    .containsKeys("cpu", "memory");
            for (String resource : List.of("cpu", "memory")) {
                assertThat(Quantity.getAmountInBytes(resources.getRequests().get(resource)))
                        .as("%s %s request <= limit", container.getName(), resource)
                        .isLessThanOrEqualTo(
                                Quantity.getAmountInBytes(resources.getLimits().get(resource)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void onnxRuntimeThreadsFollowTheCpuLimit(Path kustomization) {
        Container server = Rendered.of(kustomization).server();
        EnvVar threads = server.getEnv().stream()
                .filter(variable -> variable.getName().equals("SERVING_ONNX_INTRAOPTHREADS"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no SERVING_ONNX_INTRAOPTHREADS"));
        var field = threads.getValueFrom().getResourceFieldRef();

        assertThat(field.getResource()).isEqualTo("limits.cpu");
        assertThat(field.getContainerName()).isEqualTo(server.getName());
        assertThat(Quantity.getAmountInBytes(field.getDivisor())).isEqualByComparingTo("1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void imageNamesAgreeWithTheDocumentedBuilds(Path kustomization) throws Exception {
        Rendered rendered = Rendered.of(kustomization);
        String image = rendered.server().getImage();
        assertThat(imageName(image)).isEqualTo("onnx-serving");
        String docs = Files.readString(DEPLOYMENT_DOCS);
        if (isLocal(image)) {
            assertThat(docs).contains("docker build -t " + image + " .", "kind load docker-image " + image);
        } else {
            assertThat(image).startsWith("ghcr.io/");
            String workflow = Files.readString(Path.of(".github/workflows/release.yml"));
            assertThat(workflow).contains("ghcr.io/${{ github.repository_owner }}/" + imageName(image));
        }
        List<String> bundles = new ArrayList<>();
        if (rendered.pod().getInitContainers() != null) {
            rendered.pod().getInitContainers().forEach(init -> bundles.add(init.getImage()));
        }
        rendered.pod().getVolumes().stream()
                .filter(volume -> volume.getImage() != null)
                .forEach(volume -> bundles.add(volume.getImage().getReference()));
        for (String bundle : bundles) {
            assertThat(imageName(bundle)).isEqualTo("onnx-serving-models");
            if (isLocal(bundle)) {
                assertThat(docs)
                        .contains(
                                "-f k8s/model-image/Dockerfile -t " + bundle + " ", "kind load docker-image " + bundle);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void configMapKeysAndEnvironmentVariablesAreRealConfigurationProperties(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        ConfigurationProperties properties = ConfigurationProperties.instance();

        rendered.servingConfig()
                .getData()
                .forEach((key, value) -> assertThat(properties.isReal(key))
                        .as("%s: ConfigMap key %s configures nothing", kustomization, key)
                        .isTrue());
        for (EnvVar variable : rendered.server().getEnv()) {
            assertThat(properties.isRealEnvironmentVariable(variable.getName()))
                    .as("%s: environment variable %s configures nothing", kustomization, variable.getName())
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void modelVersionSettingsNameModelsAndPoliciesThatExist(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        ServingProperties models = rendered.configuration()
                .bind("serving", Bindable.of(ServingProperties.class))
                .orElseThrow(() -> new AssertionError("no serving configuration"));

        for (String model : models.models().keySet()) {
            assertThat(Path.of("models", model))
                    .as("configured model %s is bundled", model)
                    .isDirectory();
            var policy = models.policy(model);
            models.defaultVersion(model)
                    .ifPresent(version -> assertThat(policy.select(List.of(version)))
                            .as("%s: default version %s is served by policy %s", model, version, policy)
                            .containsExactly(version));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void configTreeImportReadsTheMountedConfigMap(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        String configVolume = rendered.pod().getVolumes().stream()
                .filter(volume -> volume.getConfigMap() != null)
                .map(Volume::getName)
                .findFirst()
                .orElseThrow();
        VolumeMount mount = mount(rendered.server(), configVolume);

        assertThat(rendered.literalEnvironment())
                .containsEntry("SPRING_CONFIG_IMPORT", "configtree:" + withSlash(mount.getMountPath()));
        assertThat(mount.getReadOnly()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void gracePeriodCoversThePreStopPauseAndTheGracefulShutdown(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        Binder configuration = rendered.configuration();
        List<String> preStop =
                rendered.server().getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        long pause = Long.parseLong(preStop.get(1));
        long shutdownPhase = configuration
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30))
                .toSeconds();

        assertThat(configuration.bind("server.shutdown", String.class).orElse("immediate"))
                .isEqualTo("graceful");
        assertThat(rendered.pod().getTerminationGracePeriodSeconds())
                .as("preStop %d s + shutdown phase %d s + 10 s to close sessions and exit", pause, shutdownPhase)
                .isGreaterThanOrEqualTo(pause + shutdownPhase + 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void runsUnprivilegedWithAReadOnlyRootFileSystemAndAWritableTmp(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        var pod = rendered.pod().getSecurityContext();

        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(Dockerfile.read().userId()).isPositive();
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(rendered.pod().getAutomountServiceAccountToken()).isFalse();
        for (Container container : rendered.allContainers()) {
            var security = container.getSecurityContext();
            assertThat(security.getReadOnlyRootFilesystem())
                    .as(container.getName())
                    .isTrue();
            assertThat(security.getAllowPrivilegeEscalation())
                    .as(container.getName())
                    .isFalse();
            assertThat(security.getCapabilities().getDrop())
                    .as(container.getName())
                    .containsExactly("ALL");
        }
        VolumeMount tmp = rendered.server().getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kustomization + ": /tmp is not mounted"));
        assertThat(volume(rendered, tmp.getName()).getEmptyDir()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployables")
    void modelRepositoryPathIsBakedIntoTheImageOrMounted(Path kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        String repository = rendered.configuration()
                .bind("serving.repository.path", String.class)
                .orElseThrow(() -> new AssertionError("serving.repository.path is not set"));
        VolumeMount holding = rendered.server().getVolumeMounts().stream()
                .filter(mount -> (repository + "/").startsWith(withSlash(mount.getMountPath())))
                .findFirst()
                .orElse(null);
        if (holding == null) {
            assertThat(repository)
                    .as("models baked into the image at the path the image configures")
                    .isEqualTo(Dockerfile.read().env().get("SERVING_REPOSITORY_PATH"));
            return;
        }
        Volume volume = volume(rendered, holding.getName());
        assertThat(holding.getReadOnly())
                .as("the service never writes its models")
                .isTrue();
        if (volume.getEmptyDir() != null) {
            assertThat(rendered.pod().getInitContainers())
                    .as("an init container fills the emptyDir %s", volume.getName())
                    .anySatisfy(init -> assertThat(init.getVolumeMounts())
                            .extracting(VolumeMount::getName)
                            .contains(volume.getName()));
        } else {
            assertThat(volume.getPersistentVolumeClaim() != null || volume.getImage() != null)
                    .as("models come from a claim or an image volume")
                    .isTrue();
        }
    }

    private static boolean refersTo(IntOrString port, ContainerPort containerPort) {
        return port.getIntVal() != null
                ? port.getIntVal().equals(containerPort.getContainerPort())
                : port.getStrVal().equals(containerPort.getName());
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions())
                .as("only matchLabels selectors are used")
                .isNullOrEmpty();
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static VolumeMount mount(Container container, String volume) {
        return container.getVolumeMounts().stream()
                .filter(mount -> mount.getName().equals(volume))
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " does not mount " + volume));
    }

    private static Volume volume(Rendered rendered, String name) {
        return rendered.pod().getVolumes().stream()
                .filter(volume -> Objects.equals(volume.getName(), name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }

    /** An image built on the developer's machine and loaded into the cluster: no registry in its name. */
    private static boolean isLocal(String image) {
        return !image.contains("/");
    }

    /** registry/path/name:tag -> name */
    private static String imageName(String image) {
        String withoutTag = image.replaceAll(":[^:/]+$", "");
        return withoutTag.substring(withoutTag.lastIndexOf('/') + 1);
    }
}
