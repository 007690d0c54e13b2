package dev.onnxserving.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentFileTests {

    @Test
    void readsEveryPerModelSetting() {
        Map<String, ServingProperties.Model> models = DeploymentFile.parse("""
                models:
                  iris:
                    versions: [1, 3]
                    default-version: 3
                    weights: {1: 90, 3: 10}
                    sticky-header: X-User-Id
                    labels: {stable: 1, canary: "3"}
                    shadow: {version: 3, fraction: 0.25}
                """);
        assertThat(models.get("iris"))
                .isEqualTo(new ServingProperties.Model(
                        "1,3",
                        3L,
                        Map.of("1", 90, "3", 10),
                        "X-User-Id",
                        Map.of("stable", 1L, "canary", 3L),
                        new ServingProperties.ShadowSettings(3L, 0.25),
                        null,
                        false,
                        null));
    }

    @Test
    void readsAModelsSourceAndRefusesOneThatIsNoUri() {
        assertThat(DeploymentFile.parse("models:\n  iris:\n    source: s3://bucket/models/iris\n")
                        .get("iris")
                        .source())
                .isEqualTo("s3://bucket/models/iris");
        assertThatThrownBy(() -> DeploymentFile.parse("models:\n  iris:\n    source: bucket/models\n"))
                .hasMessage("models.iris.source: expected a URI such as 's3://bucket/prefix', got 'bucket/models'");
    }

    @Test
    void acceptsTheSameSettingsUnderServingAsInApplicationYaml() {
        assertThat(DeploymentFile.parse("serving:\n  models:\n    iris:\n      versions: all\n"))
                .containsEntry("iris", ServingProperties.Model.of("all", null));
    }

    @Test
    void readsAnEmptyFileAsNoSettings() {
        assertThat(DeploymentFile.parse("")).isEmpty();
        assertThat(DeploymentFile.parse("models:\n")).isEmpty();
    }

    @Test
    void namesAnUnknownKey() {
        assertThatThrownBy(() -> DeploymentFile.parse("models:\n  iris:\n    wieghts: {1: 2}\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("models.iris: unknown keys [wieghts]");
    }

    @Test
    void namesAnUnknownShadowKey() {
        assertThatThrownBy(() -> DeploymentFile.parse("models:\n  iris:\n    shadow: {version: 2, share: 0.1}\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("models.iris.shadow: unknown keys [share], expected some of [fraction, version]");
    }

    @Test
    void namesAWeightThatIsNotANumber() {
        assertThatThrownBy(() -> DeploymentFile.parse("models:\n  iris:\n    weights: {1: lots}\n"))
                .hasMessage("models.iris.weights.1: expected a whole number of 0 or more, got 'lots'");
    }

    @Test
    void namesALabelThatPointsToNoVersion() {
        assertThatThrownBy(() -> DeploymentFile.parse("models:\n  iris:\n    labels: {stable: v2}\n"))
                .hasMessage("models.iris.labels.stable: expected a version number, got 'v2'");
    }

    @Test
    void refusesSomethingThatIsNotYaml() {
        assertThatThrownBy(() -> DeploymentFile.parse("models: [unclosed")).hasMessageStartingWith("not valid YAML");
    }
}
