package dev.onnxserving.observability;

import static dev.onnxserving.testing.FakeSessions.IRIS_LIKE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.deployment.ManagerFixture;
import dev.onnxserving.deployment.ServingReadiness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ModelsHealthIndicatorTests {

    @TempDir
    Path root;

    private Health health(ManagerFixture fixture) {
        return new ModelsHealthIndicator(new ServingReadiness(fixture.registry, fixture.manager)).health();
    }

    @Test
    void isDownWhileTheModelsAreStillLoading() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);

        assertThat(health(fixture).getStatus()).isEqualTo(Status.DOWN);
        assertThat(health(fixture).getDetails()).containsEntry("reason", "the models are still loading");
    }

    @Test
    void isUpOnceEveryModelFoundAtStartServes() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("other", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        assertThat(health(fixture).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aModelWhoseOnlyVersionFailedAtStartKeepsItDownWithTheReasonWhileTheOthersServe() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("broken", 1, "not a model");
        fixture.manager.synchronizeAll();

        Health health = health(fixture);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString())
                .isEqualTo("models found at start-up that have not served yet: [broken]");
        assertThat(health.getDetails().get("broken").toString()).contains("FAILED: cannot load model.onnx");
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);
    }

    @Test
    void aModelAddedAtRunTimeThatFailsDoesNotTakeThePodOut() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.publish("added", 1, "not a model");
        fixture.manager.synchronize("added");

        Health health = health(fixture);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("added").toString()).contains("FAILED");
    }

    @Test
    void aFailedNewVersionOfAServingModelDoesNotTakeThePodOut() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();

        fixture.publish("iris", 2, "not a model");
        fixture.manager.synchronize("iris");

        assertThat(fixture.states("iris")).containsEntry(2L, dev.onnxserving.registry.ModelState.FAILED);
        assertThat(health(fixture).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void isDownWhenAModelThatWasServingNoLongerServes() {
        ManagerFixture fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("added", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        fixture.commands.unloadVersion("added", 1);

        Health health = health(fixture);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString())
                .isEqualTo("models that were serving no longer serve: [added]");
    }
}
