package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.onnxserving.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar on the bundled repository with one version setting, as an operator gives it: {@code versions=N}
 * alone serves exactly version N and makes it the default; a default version the policy excludes stops the start
 * with Spring Boot's failure analysis naming both settings.
 */
class VersionSettingsIT {

    /** A frame of a Java stack trace, or its cause line. */
    private static final Pattern STACK_TRACE = Pattern.compile("^\\s+at [\\w$.]+\\(|^Caused by: |^\\S+Exception: ");

    static Stream<Arguments> versionOneAlone() {
        return Stream.of(
                arguments(
                        "environment SERVING_MODELS_IRIS_VERSIONS=1",
                        Map.of("SERVING_MODELS_IRIS_VERSIONS", "1"),
                        List.of()),
                arguments(
                        "argument --serving.models.iris.versions=1",
                        Map.of(),
                        List.of("--serving.models.iris.versions=1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versionOneAlone")
    void versionsOneAloneServesExactlyVersionOneAsTheDefault(
            String setting, Map<String, String> environment, List<String> arguments) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(jar(), logFile(setting), environment, arguments)) {
            service.awaitReady(Duration.ofSeconds(120));
            Http http = new Http(service.port());

            Http.Response prediction = http.postJson("/predict", Http.IRIS_BODY);
            assertThat(prediction.status()).as(prediction.text()).isEqualTo(200);
            assertThat(prediction.header("Model-Name")).isEqualTo("iris");
            assertThat(prediction.header("Model-Version")).isEqualTo("1");
            assertThat(prediction.json().path("version").asString()).isEqualTo("1");
            assertThat(prediction
                            .json()
                            .path("predictions")
                            .path(0)
                            .path("label")
                            .asString())
                    .isEqualTo("setosa");

            JsonNode iris = http.get("/models/iris").json();
            assertThat(iris.path("versions")
                            .valueStream()
                            .map(version -> version.path("version").asString()))
                    .as("served versions: %s", iris)
                    .containsExactly("1");
            assertThat(iris.path("default_version").asString()).isEqualTo("1");
        }
    }

    @Test
    void aDefaultVersionThePolicyExcludesFailsTheStartWithAnAnalysisNamingBothSettings() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(
                jar(),
                Path.of("target", "version-settings-conflict-it.log"),
                Map.of(),
                List.of("--serving.models.iris.versions=1", "--serving.models.iris.default-version=2"))) {
            int exitCode = service.awaitExit(Duration.ofSeconds(120));
            String output = service.output();

            assertThat(exitCode).as(output).isNotZero();
            assertThat(output).contains("APPLICATION FAILED TO START");
            String analysis = output.substring(output.indexOf("APPLICATION FAILED TO START"));
            assertThat(analysis)
                    .as("the failure analysis")
                    .contains("Description:")
                    .contains("serving.models.iris.versions", "serving.models.iris.default-version");
            assertThat(output.lines())
                    .as("no stack trace")
                    .noneMatch(line -> STACK_TRACE.matcher(line).find());
        }
    }

    /** target/version-settings-environment-it.log, ... */
    private static Path logFile(String setting) {
        return Path.of("target", "version-settings-" + setting.substring(0, setting.indexOf(' ')) + "-it.log");
    }

    private static Path jar() {
        Path jar = ServiceProcess.packagedJar().orElse(null);
        assumeTrue(jar != null, "VersionSettingsIT needs the packaged jar in target/: run it with mvn verify");
        return jar;
    }
}
