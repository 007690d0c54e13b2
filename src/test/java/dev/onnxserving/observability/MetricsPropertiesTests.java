package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code serving.metrics.*}: the defaults, what binds, and a start that fails naming a bad bucket list. */
class MetricsPropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MetricsProperties.class)
    static class Properties {}

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Test
    void defaultsAreStandardDetailAndTwelveLatencyBucketsFrom1MillisecondTo10Seconds() {
        runner.run(context -> {
            MetricsProperties properties = context.getBean(MetricsProperties.class);
            assertThat(properties).isEqualTo(MetricsProperties.DEFAULTS);
            assertThat(properties.detail()).isEqualTo(MetricsProperties.Detail.STANDARD);
            assertThat(properties.latencyBuckets())
                    .hasSize(12)
                    .startsWith(Duration.ofMillis(1), Duration.ofNanos(2_500_000))
                    .endsWith(Duration.ofSeconds(10));
            assertThat(properties.batchSizeBuckets()).containsExactly(1, 2, 4, 8, 16, 32, 64, 128);
        });
    }

    @Test
    void bindsWhatIsSet() {
        runner.withPropertyValues(
                        "serving.metrics.detail=full",
                        "serving.metrics.latency-buckets=500us,20ms,2s",
                        "serving.metrics.batch-size-buckets=1,64")
                .run(context -> assertThat(context.getBean(MetricsProperties.class))
                        .isEqualTo(new MetricsProperties(
                                MetricsProperties.Detail.FULL,
                                List.of(Duration.ofNanos(500_000), Duration.ofMillis(20), Duration.ofSeconds(2)),
                                List.of(1, 64))));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            serving.metrics.latency-buckets    | 10ms,5ms  | serving.metrics.latency-buckets: expected positive bounds in ascending order, got [PT0.01S, PT0.005S]
            serving.metrics.latency-buckets    | 0ms,5ms   | serving.metrics.latency-buckets: expected positive bounds in ascending order
            serving.metrics.batch-size-buckets | 8,8       | serving.metrics.batch-size-buckets: expected positive bounds in ascending order, got [8, 8]
            serving.metrics.detail             | verbose   | verbose
            """)
    void aBadValueFailsTheStartNamingIt(String property, String value, String message) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
        });
    }
}
