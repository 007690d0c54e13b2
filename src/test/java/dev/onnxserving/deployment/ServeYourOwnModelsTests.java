package dev.onnxserving.deployment;

import static dev.onnxserving.testing.FakeSessions.IRIS_LIKE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.registry.ModelState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user meets: a model's own deployment defaults, one property to pin a version, failed versions recover. */
class ServeYourOwnModelsTests {

    private static final String DEMO_DEFAULTS = "deployment:\n  versions: all\n  default-version: 2\n";
    private static final String NEEDS_LABELS = "postprocessor: labelled\noptions:\n  labels-file: labels.txt\n";

    @TempDir
    Path root;

    @Test
    void aModelServesWhatItsModelYamlProposesWithNoProperty() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.settings("iris", DEMO_DEFAULTS);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.publish("iris", 3, IRIS_LIKE);

        fixture.manager.synchronizeAll();

        assertThat(fixture.states("iris")).containsOnlyKeys(1L, 2L, 3L);
        assertThat(fixture.servedVersion("iris")).isEqualTo(2);
    }

    @Test
    void oneVersionsPropertyServesExactlyThatVersionAndMakesItTheDefault() {
        ManagerFixture fixture =
                new ManagerFixture(root, Duration.ZERO, Map.of("iris", ServingProperties.Model.of("1", null)));
        fixture.settings("iris", DEMO_DEFAULTS);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);

        fixture.manager.synchronizeAll();

        assertThat(fixture.states("iris")).isEqualTo(Map.of(1L, ModelState.READY));
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);
    }

    @Test
    void aModelYamlWhoseDefaultItsOwnVersionsExcludeStopsTheStart() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.settings("iris", "deployment:\n  versions: 1\n  default-version: 2\n");
        fixture.publish("iris", 1, IRIS_LIKE);

        assertThatThrownBy(fixture.manager::synchronizeAll)
                .isInstanceOf(DeploymentConflictException.class)
                .hasMessageContaining("deployment.default-version (iris/model.yaml): 2")
                .hasMessageContaining("deployment.versions (iris/model.yaml): 1");
    }

    @Test
    void propertiesWhoseDefaultVersionThePolicyNeverServesAreRefusedNamingBoth() {
        assertThatThrownBy(() ->
                        new ManagerFixture(root, Duration.ZERO, Map.of("iris", ServingProperties.Model.of("1", 2L))))
                .isInstanceOf(DeploymentConflictException.class)
                .hasMessageContaining("serving.models.iris.default-version: 2")
                .hasMessageContaining("serving.models.iris.versions: 1");
    }

    @Test
    void aConfiguredModelTheRepositoryLacksIsAWarningUnlessRequired() {
        ManagerFixture optional =
                new ManagerFixture(root, Duration.ZERO, Map.of("ghost", ServingProperties.Model.of("1", null)));
        optional.manager.synchronizeAll();
        assertThat(optional.registry.modelNames()).doesNotContain("ghost");

        ServingProperties.Model required =
                new ServingProperties.Model("1", null, null, null, null, null, null, true, null);
        ManagerFixture strict = new ManagerFixture(root, Duration.ZERO, Map.of("ghost", required));
        strict.manager.synchronizeAll();
        assertThat(strict.registry.modelNames()).contains("ghost");
        assertThat(strict.manager.startedWith())
                .hasValueSatisfying(names -> assertThat(names).contains("ghost"));
        assertThat(strict.status("ghost").isReady()).isFalse();
    }

    @Test
    void aFailedVersionLoadsOnceTheLabelsFileItNeedsAppearsWithoutTouchingTheModel() {
        ManagerFixture fixture = failedForWantOfItsLabelsFile();
        assertThat(fixture.status("mine").versions().get(0).reason()).contains("labels-file 'labels.txt'");

        fixture.manager.synchronize("mine");
        assertThat(fixture.states("mine")).isEqualTo(Map.of(1L, ModelState.FAILED));

        fixture.modelFile("mine", "labels.txt", "setosa\nversicolor\nvirginica\n");
        fixture.manager.synchronize("mine");

        assertThat(fixture.states("mine")).isEqualTo(Map.of(1L, ModelState.READY));
        assertThat(fixture.servedVersion("mine")).isEqualTo(1);
    }

    @Test
    void aFailedVersionLoadsOnceModelYamlIsFixedWithoutTouchingTheModel() {
        ManagerFixture fixture = failedForWantOfItsLabelsFile();

        fixture.settings("mine", "description: no labels after all\n");
        fixture.manager.synchronize("mine");

        assertThat(fixture.states("mine")).isEqualTo(Map.of(1L, ModelState.READY));
        assertThat(fixture.status("mine").description()).isEqualTo("no labels after all");
    }

    @Test
    void aVersionLoadedWhileItsFolderSettlesAnswersSettlingAndLoadsOnTheNextLook() {
        ManagerFixture fixture = new ManagerFixture(root, Duration.ofSeconds(2), Map.of());
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        fixture.publish("iris", 2, IRIS_LIKE);

        OperatorCommands.Outcome outcome = fixture.commands.loadVersion("iris", 2);

        assertThat(outcome.settling()).isTrue();
        assertThat(fixture.manager.pending()).containsExactly("iris");
        fixture.clock.advance(Duration.ofSeconds(2));
        fixture.manager.synchronize("iris");
        assertThat(fixture.states("iris")).containsEntry(2L, ModelState.READY);
        assertThat(fixture.manager.pending()).isEmpty();
    }

    @Test
    void withSeveralModelsTheOneMarkedInItsModelYamlAnswersPredict() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.settings("iris", "deployment:\n  default-model: true\n");
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("other", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        assertThat(fixture.registry.defaultModelName()).isEqualTo("iris");

        fixture.settings("iris", "description: no longer marked\n");
        fixture.manager.synchronize("iris");
        assertThatThrownBy(fixture.registry::defaultModelName)
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("set serving.default-model")
                .hasMessageContaining("[iris, other]");
    }

    /** Model {@code mine} whose {@code model.yaml} names a labels file that is not there: its version 1 FAILED. */
    private ManagerFixture failedForWantOfItsLabelsFile() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.settings("mine", NEEDS_LABELS);
        fixture.publish("mine", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        assertThat(fixture.states("mine")).isEqualTo(Map.of(1L, ModelState.FAILED));
        return fixture;
    }
}
