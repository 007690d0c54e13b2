package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.onnxserving.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A new user's first run: the packaged jar pointed at a repository of their own, with no other setting, serves it.
 * Nothing the bundled demo configures (its models, their versions, the default model) may stand in the way.
 */
class OwnRepositoryIT {

    @Test
    void theJarPointedAtARepositoryOfItsOwnWithNoOtherSettingIsReadyAndServesBothModels() throws Exception {
        Path jar = ServiceProcess.packagedJar().orElse(null);
        assumeTrue(jar != null, "OwnRepositoryIT needs the packaged jar in target/: run it with mvn verify");
        Path repository = OwnRepository.create("onnx-serving-own-repository");

        try (ServiceProcess service = ServiceProcess.start(
                jar,
                Path.of("target", "own-repository-it.log"),
                Map.of(),
                List.of("--serving.repository.path=" + repository))) {
            service.awaitReady(Duration.ofSeconds(120));

            OwnRepository.assertServed(new Http(service.port()));
            assertThat(service.plainLines())
                    .as("a clean start logs no error")
                    .noneMatch(line -> line.matches("\\S+\\s+ERROR\\s.*"));
        }
    }
}
