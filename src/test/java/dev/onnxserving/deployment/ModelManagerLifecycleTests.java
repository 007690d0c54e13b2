package dev.onnxserving.deployment;

import static dev.onnxserving.testing.FakeSessions.IRIS_LIKE;
import static dev.onnxserving.testing.FakeSessions.WIDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ModelStateConflictException;
import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.ModelLease;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.registry.VersionChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManagerLifecycleTests {

    @TempDir
    Path root;

    @Test
    void loadsANewVersionBeforeRetiringTheOneItReplaces() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        ModelLease inFlight = fixture.registry.acquire("iris", VersionChoice.routed());

        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.manager.synchronize("iris");

        assertThat(fixture.states("iris")).isEqualTo(Map.of(2L, ModelState.READY));
        assertThat(fixture.servedVersion("iris")).isEqualTo(2);
        assertThat(fixture.sessions.closed).hasValue(0);
        assertThat(fixture.registry.drainingVersions()).isEqualTo(1);
        assertThat(inFlight.version()).isEqualTo(1);

        inFlight.close();
        assertThat(fixture.sessions.closed).hasValue(1);
        assertThat(fixture.events.drained).containsExactly("iris/1");
        assertThat(fixture.registry.drainingVersions()).isZero();
        assertThat(fixture.registry.openVersions()).isEqualTo(1);
    }

    @Test
    void keepsTheServingVersionWhenANewOneIsCorrupt() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.publish("iris", 2, "\u0008\u0012truncated");
        fixture.manager.synchronize("iris");

        assertThat(fixture.states("iris")).isEqualTo(Map.of(1L, ModelState.READY, 2L, ModelState.FAILED));
        assertThat(fixture.status("iris").versions().get(1).reason()).contains("not a model");
        assertThat(fixture.status("iris").isReady()).isTrue();
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);
        assertThat(fixture.events.failures).containsExactly("iris/2 MODEL_FILE");
        assertThat(fixture.manager.deployment("iris").orElseThrow().history())
                .anySatisfy(record -> assertThat(record.failure()).isEqualTo(LoadFailure.MODEL_FILE));
    }

    @Test
    void triesAFailedVersionAgainOnlyWhenItsFolderChanges() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, "corrupt");
        fixture.manager.synchronizeAll();
        int failures = fixture.events.failures.size();

        fixture.manager.synchronize("iris");
        assertThat(fixture.events.failures).hasSize(failures);

        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.manager.synchronize("iris");
        assertThat(fixture.states("iris")).isEqualTo(Map.of(2L, ModelState.READY));
    }

    @Test
    void refusesAnIncompatibleSignatureForAModelWithAProcessorContract() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.settings("iris", "preprocessor: features\n");
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.publish("iris", 2, WIDER);
        fixture.manager.synchronize("iris");

        assertThat(fixture.states("iris")).isEqualTo(Map.of(1L, ModelState.READY, 2L, ModelState.FAILED));
        assertThat(fixture.status("iris").versions().get(1).reason())
                .startsWith("signature incompatible with the serving version under processors features/tensor")
                .endsWith("input 'input' was FP32 [-1,4], is FP32 [-1,10]");
        assertThat(fixture.events.failures).containsExactly("iris/2 INCOMPATIBLE_SIGNATURE");
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);
    }

    @Test
    void acceptsAChangedSignatureForAModelWithoutProcessors() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("raw", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.publish("raw", 2, WIDER);
        fixture.manager.synchronize("raw");

        assertThat(fixture.states("raw")).isEqualTo(Map.of(2L, ModelState.READY));
    }

    @Test
    void neverLoadsAFolderThatIsStillBeingWritten() {
        ManagerFixture fixture = new ManagerFixture(root, Duration.ofSeconds(2), Map.of());
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        int opened = fixture.sessions.opened.get();

        fixture.writeInPlace("iris", 2, "input input FP32");
        assertThat(fixture.manager.synchronize("iris")).isTrue();
        fixture.clock.advance(Duration.ofSeconds(1));
        fixture.writeInPlace("iris", 2, IRIS_LIKE);
        assertThat(fixture.manager.synchronize("iris")).isTrue();
        fixture.clock.advance(Duration.ofMillis(1500));
        assertThat(fixture.manager.synchronize("iris")).isTrue();
        assertThat(fixture.sessions.opened).hasValue(opened);
        assertThat(fixture.states("iris")).isEqualTo(Map.of(1L, ModelState.READY));

        fixture.clock.advance(Duration.ofMillis(500));
        assertThat(fixture.manager.synchronize("iris")).isFalse();
        assertThat(fixture.states("iris")).isEqualTo(Map.of(2L, ModelState.READY));
        assertThat(fixture.events.failures).isEmpty();
    }

    @Test
    void reloadsEveryServingVersionWhenModelYamlChanges() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.settings("iris", "description: first\n");
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.settings("iris", "description: second, with more words\n");
        fixture.manager.synchronize("iris");

        assertThat(fixture.status("iris").description()).isEqualTo("second, with more words");
        assertThat(fixture.sessions.opened).hasValue(2);
        assertThat(fixture.sessions.closed).hasValue(1);
        assertThat(fixture.states("iris")).isEqualTo(Map.of(1L, ModelState.READY));
    }

    @Test
    void keepsServingWhenModelYamlBecomesInvalid() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.settings("iris", "description: good\n");
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.settings("iris", "descripton: misspelt key\n");
        fixture.manager.synchronize("iris");
        fixture.manager.synchronize("iris");

        ModelStatus.VersionStatus version = fixture.status("iris").versions().get(0);
        assertThat(version.state()).isEqualTo(ModelState.READY);
        assertThat(version.reason()).startsWith("reload failed: model.yaml: unknown keys [descripton]");
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);
        assertThat(fixture.events.failures).containsExactly("iris/1 SETTINGS");
        assertThat(fixture.sessions.closed).hasValue(0);
    }

    @Test
    void reloadsAVersionWhoseFolderWasReplacedInPlace() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.publish("iris", 1, IRIS_LIKE + "output extra FP32 -1,2\n");
        fixture.manager.synchronize("iris");

        try (ModelLease lease = fixture.registry.acquire("iris", VersionChoice.exact(1))) {
            assertThat(lease.session().signature().output("extra")).isPresent();
        }
        assertThat(fixture.sessions.closed).hasValue(1);
    }

    @Test
    void leavesAModelNotReadyWhenItsOnlyVersionIsUnloaded() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("solo", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        ModelStatus status = fixture.commands.unloadVersion("solo", 1).status();

        assertThat(status.versions()).isEmpty();
        assertThat(status.isReady()).isFalse();
        assertThatThrownBy(() -> fixture.registry.acquire("solo", VersionChoice.routed()))
                .isInstanceOf(ModelNotReadyException.class)
                .hasMessageContaining("has no READY version");
        assertThat(fixture.commands.loadVersion("solo", 1).status().isReady()).isTrue();
    }

    @Test
    void refusesToUnloadAVersionTheRoutingStillUses() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        fixture.commands.loadVersion("iris", 1);
        fixture.commands.route("iris", new Routing(null, Map.of(), null, Map.of("stable", 1L), null), null);

        assertThatThrownBy(() -> fixture.commands.unloadVersion("iris", 1))
                .isInstanceOf(ModelStateConflictException.class)
                .hasMessageContaining("still receives requests as label 'stable'");
        assertThat(fixture.states("iris")).containsEntry(1L, ModelState.READY);
    }

    @Test
    void refusesRoutingToAVersionThatIsNotReadyAndKeepsTheRoutingBefore() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        assertThatThrownBy(() -> fixture.commands.route(
                        "iris", new Routing(null, Map.of(1L, 90, 5L, 10), null, Map.of(), null), null))
                .isInstanceOf(ModelStateConflictException.class)
                .hasMessageContaining("versions [5], which are not READY");
        assertThat(fixture.registry.routing("iris")).contains(Routing.NONE);
    }

    @Test
    void loadsTheVersionsANewPolicySelectsBeforeSwitchingTheRouting() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        ModelStatus status = fixture.commands
                .route("iris", new Routing(null, Map.of(1L, 50, 2L, 50), null, Map.of(), null), new VersionPolicy.All())
                .status();

        assertThat(status.versions())
                .extracting(ModelStatus.VersionStatus::state)
                .containsExactly(ModelState.READY, ModelState.READY);
        assertThat(fixture.manager.deployment("iris").orElseThrow().source()).isEqualTo(Deployment.FROM_API);
    }

    @Test
    void aChangedConfigurationFileReplacesWhatTheApiSet() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        fixture.commands.loadVersion("iris", 1);
        fixture.commands.route("iris", new Routing(null, Map.of(1L, 50, 2L, 50), null, Map.of(), null), null);

        fixture.manager.applyConfigurationFile(Map.of(
                "iris",
                new ServingProperties.Model("all", 1L, null, null, Map.of("canary", 2L), null, null, false, null)));

        DeploymentState state = fixture.manager.deployment("iris").orElseThrow();
        assertThat(state.source()).isEqualTo(Deployment.FROM_CONFIGURATION);
        assertThat(state.overrides()).isEqualTo(VersionOverrides.NONE);
        assertThat(fixture.registry.routing("iris").orElseThrow().defaultVersion())
                .isEqualTo(1L);
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);
        try (ModelLease canary = fixture.registry.acquire("iris", VersionChoice.label("canary"))) {
            assertThat(canary.version()).isEqualTo(2);
        }
    }

    @Test
    void refusesAnInvalidConfigurationFileAndKeepsTheOneBefore() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        assertThatThrownBy(() -> fixture.manager.applyConfigurationFile(
                        Map.of("iris", ServingProperties.Model.of("newest", null))))
                .hasMessageStartingWith("models.iris: /versions: expected 'latest'");
        assertThat(fixture.status("iris").policy()).isEqualTo("latest");
    }

    @Test
    void forgetsAModelWhoseFolderIsGoneWhenNoConfigurationNamesIt() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("gone", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.delete(root.resolve("gone"));
        fixture.manager.synchronize("gone");

        assertThat(fixture.registry.modelNames()).containsExactly("iris");
        assertThat(fixture.sessions.closed).hasValue(1);
    }

    @Test
    void retiresAVersionWhoseFolderWasRemoved() {
        ManagerFixture fixture =
                new ManagerFixture(root, Duration.ZERO, Map.of("iris", ServingProperties.Model.of("all", null)));
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.remove("iris", 1);
        fixture.manager.synchronize("iris");

        assertThat(fixture.states("iris")).isEqualTo(Map.of(2L, ModelState.READY));
        assertThat(fixture.sessions.closed).hasValue(1);
    }

    @Test
    void serialisesConcurrentManagementCallsOnOneModel() throws Exception {
        ManagerFixture fixture = new ManagerFixture(root);
        for (long version = 1; version <= 4; version++) {
            fixture.publish("iris", version, IRIS_LIKE);
        }
        fixture.manager.synchronizeAll();
        fixture.sessions.openNanos = Duration.ofMillis(5).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                long version = 1 + (i % 3);
                boolean load = (i / 3) % 2 == 0;
                calls.add(pool.submit(() -> {
                    start.await();
                    ModelStatus status = load
                            ? fixture.commands.loadVersion("iris", version).status()
                            : fixture.commands.unloadVersion("iris", version).status();
                    boolean present = status.versions().stream()
                            .anyMatch(v -> v.version() == version && v.state() == ModelState.READY);
                    return present == load ? "ok" : (load ? "load" : "unload") + " " + version + " -> " + status;
                }));
            }
            start.countDown();
            for (Future<String> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fixture.sessions.mostConcurrentOpensOfOneModel).hasValue(1);
        assertThat(fixture.states("iris")).containsEntry(4L, ModelState.READY);
    }

    @Test
    void refusesModelNamesThatCouldLeaveTheRepository() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.manager.synchronizeAll();

        assertThatThrownBy(() -> fixture.commands.loadVersion("..", 1)).hasMessageContaining("expected a model name");
        assertThatThrownBy(() -> fixture.commands.loadModel("/etc")).hasMessageContaining("expected a model name");
        assertThatThrownBy(() -> fixture.commands.unloadModel("a/../../b"))
                .hasMessageContaining("expected a model name");
        assertThatThrownBy(() -> fixture.commands.loadModel("nothing-here")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void refusesAModelFolderThatLinksOutsideTheRepository(@TempDir Path outside) throws Exception {
        ManagerFixture outsideFixture = new ManagerFixture(outside);
        outsideFixture.publish("secret", 1, IRIS_LIKE);
        ManagerFixture fixture = new ManagerFixture(root);
        java.nio.file.Files.createSymbolicLink(root.resolve("secret"), outside.resolve("secret"));
        fixture.manager.synchronizeAll();

        assertThat(fixture.registry.modelNames()).doesNotContain("secret");
        assertThatThrownBy(() -> fixture.commands.loadModel("secret"))
                .hasMessageContaining("is a link that leads outside the model repository; refused");
        assertThatThrownBy(() -> fixture.commands.loadVersion("secret", 1))
                .hasMessageContaining("is a link that leads outside the model repository; refused");
    }
}
