package dev.onnxserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code serving.repository.cache}, {@code source}, {@code sync-interval} and {@code backoff}: defaults and bad values. */
class SourcePropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SourceProperties.class)
    static class Properties {}

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Test
    void defaultsToACacheInTheTemporaryFolderNoRepositorySourceAndAMinuteBetweenSyncs() {
        runner.run(context -> {
            SourceProperties properties = context.getBean(SourceProperties.class);
            assertThat(properties.cache())
                    .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "onnx-serving-cache"));
            assertThat(properties.source()).isNull();
            assertThat(properties.syncInterval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.backoff())
                    .isEqualTo(new SourceProperties.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        });
    }

    @Test
    void bindsWhatIsSetAndDropsATrailingSlashOfTheRepositorySource() {
        runner.withPropertyValues(
                        "serving.repository.cache=/var/cache/models",
                        "serving.repository.source=s3://bucket/models/",
                        "serving.repository.sync-interval=5m",
                        "serving.repository.backoff.initial=250ms")
                .run(context -> {
                    SourceProperties properties = context.getBean(SourceProperties.class);
                    assertThat(properties.cache()).isEqualTo(Path.of("/var/cache/models"));
                    assertThat(properties.source()).isEqualTo("s3://bucket/models");
                    assertThat(properties.syncInterval()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(properties.backoff().initial()).isEqualTo(Duration.ofMillis(250));
                });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            serving.repository.sync-interval   | 0s            | must be longer than or equal to 1 second
            serving.repository.backoff.initial | 0s            | must be longer than or equal to 1 milli
            serving.repository.source          | bucket/models | expected a URI such as 's3://bucket/prefix'
            """)
    void theStartFailsNamingThePropertyAndWhatWasExpected(String property, String value, String reason) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(reason);
        });
    }
}
