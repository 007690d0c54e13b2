package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.batching.BatchingProperties;
import dev.onnxserving.inference.ShadowProperties;
import dev.onnxserving.management.ManagementProperties;
import dev.onnxserving.processors.image.ImageProperties;
import dev.onnxserving.runtime.OnnxProperties;
import dev.onnxserving.web.WebLimitsProperties;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.unit.DataSize;

/** The {@code serving.*} properties records: their defaults, and a start that fails naming each bad value. */
class PropertiesValidationTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({
        BatchingProperties.class,
        OnnxProperties.class,
        WebLimitsProperties.class,
        ImageProperties.class,
        ManagementProperties.class,
        ShadowProperties.class
    })
    static class Properties {}

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Test
    void everyPropertyHasItsDefaultWhenNothingIsSet() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(BatchingProperties.class))
                    .isEqualTo(new BatchingProperties(32, Duration.ofMillis(2), 128, 0));
            assertThat(context.getBean(OnnxProperties.class))
                    .isEqualTo(new OnnxProperties(0, 1, OnnxProperties.OptimizationLevel.ALL));
            assertThat(context.getBean(WebLimitsProperties.class))
                    .isEqualTo(new WebLimitsProperties(DataSize.ofMegabytes(10), 64, DataSize.ofMegabytes(10)));
            assertThat(context.getBean(ImageProperties.class)).isEqualTo(new ImageProperties(40_000_000L));
            assertThat(context.getBean(ManagementProperties.class))
                    .isEqualTo(new ManagementProperties(null, null, null));
            assertThat(context.getBean(ManagementProperties.class).enabled()).isFalse();
            assertThat(context.getBean(ShadowProperties.class)).isEqualTo(new ShadowProperties(1, 64, 1e-5));
        });
    }

    @Test
    void bindsWhatIsSet() {
        runner.withPropertyValues(
                        "serving.batching.max-delay=500us",
                        "serving.onnx.optimization-level=basic",
                        "serving.limits.max-request-size=1KB",
                        "serving.management.api-key=0123456789abcdef",
                        "serving.management.port=0")
                .run(context -> {
                    assertThat(context.getBean(BatchingProperties.class).maxDelay())
                            .isEqualTo(Duration.ofNanos(500_000));
                    assertThat(context.getBean(OnnxProperties.class).optimizationLevel())
                            .isEqualTo(OnnxProperties.OptimizationLevel.BASIC);
                    assertThat(context.getBean(WebLimitsProperties.class).maxRequestSize())
                            .isEqualTo(DataSize.ofKilobytes(1));
                    assertThat(context.getBean(ManagementProperties.class))
                            .isEqualTo(new ManagementProperties("0123456789abcdef", 0, null));
                    assertThat(context.getBean(ManagementProperties.class).enabled())
                            .isTrue();
                });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            serving.batching.max-batch-size      | 0        | must be greater than or equal to 1
            serving.batching.max-batch-size      | 5000     | must be less than or equal to 4096
            serving.batching.max-delay           | 2s       | must be shorter than or equal to 1 second
            serving.batching.max-delay           | -1ms     | must be longer than or equal to 0
            serving.batching.max-queue-size      | 0        | must be greater than or equal to 1
            serving.batching.max-concurrent-runs | -1       | must be greater than or equal to 0
            serving.batching.max-batch-size      | many     | failed to convert
            serving.onnx.intra-op-threads        | -1       | must be greater than or equal to 0
            serving.onnx.inter-op-threads        | 0        | must be greater than or equal to 1
            serving.onnx.optimization-level      | fast     | failed to convert
            serving.limits.max-request-size      | 1B       | must be at least 1024 bytes
            serving.limits.max-string-length     | 0B       | must be at least 1 bytes
            serving.limits.max-json-depth        | 1        | must be greater than or equal to 2
            serving.images.max-pixels            | 0        | must be greater than or equal to 1
            serving.management.api-key           | short    | must be empty (the management API off) or at least 16 characters
            serving.management.port              | 70000    | must be less than or equal to 65535
            serving.management.address           | a b      | must be an address such as 127.0.0.1, without spaces
            serving.shadow.threads               | 0        | must be greater than or equal to 1
            serving.shadow.queue-capacity        | 0        | must be greater than or equal to 1
            serving.shadow.tolerance             | -0.5     | must be greater than or equal to 0
            """)
    void theStartFailsNamingThePropertyWhatCameAndWhatWasExpected(String property, String value, String reason) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context.getStartupFailure()))
                    .contains("\"" + property + "\" from property source")
                    .containsPattern("Value: \"[^\"]+\"")
                    .containsIgnoringCase(reason);
        });
    }

    /** What the start-up log shows for a failure: the description of the first failure analyzer that knows it. */
    private static String analysis(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(
                        FailureAnalyzer.class,
                        SpringFactoriesLoader.ArgumentResolver.none(),
                        SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> {}));
        return analyzers.stream()
                .map(analyzer -> analyzer.analyze(failure))
                .filter(Objects::nonNull)
                .map(FailureAnalysis::getDescription)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no failure analysis for " + failure));
    }
}
