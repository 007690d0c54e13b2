package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.observability.ServingMetrics.Outcome;
import dev.onnxserving.observability.ServingMetrics.Stage;
import dev.onnxserving.registry.ModelRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The request, stage and batch meters of one model version: which series exist, and their buckets by detail. */
class ServingMetricsTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private ServingMetrics metrics(MetricsProperties settings) {
        return new ServingMetrics(
                meters, new StaticListableBeanFactory().getBeanProvider(ModelRegistry.class), settings);
    }

    @Test
    void aSuccessIsCountedAndTimedInTheLatencyBuckets() {
        ServingMetrics metrics = metrics(MetricsProperties.DEFAULTS);

        metrics.recordRequest("predict", "iris", 2, Outcome.SUCCESS, 3_000_000);

        var timer = meters.get("serving.request.duration")
                .tags("api", "predict", "model", "iris", "version", "2")
                .timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.takeSnapshot().histogramCounts())
                .hasSize(12)
                .allSatisfy(bucket -> assertThat(bucket.count()).isEqualTo(bucket.bucket() >= 5e6 ? 1 : 0));
        assertThat(meters.get("serving.requests")
                        .tag("outcome", "success")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = "SUCCESS", mode = EnumSource.Mode.EXCLUDE)
    void aFailureIsCountedUnderItsOutcomeOnlyAndLeavesTheLatencyHistogramAlone(Outcome outcome) {
        ServingMetrics metrics = metrics(MetricsProperties.DEFAULTS);

        metrics.recordRequest("v2", "iris", 1, outcome, 1_000);
        metrics.recordRequest("v2", "iris", 1, outcome, 1_000);

        assertThat(meters.find("serving.request.duration").timer()).isNull();
        assertThat(meters.find("serving.requests").counters()).singleElement().satisfies(counter -> {
            assertThat(counter.getId().getTag("outcome"))
                    .isEqualTo(outcome.name().toLowerCase());
            assertThat(counter.count()).isEqualTo(2);
        });
    }

    @Test
    void standardDetailKeepsStagesAndBatchSizesWithoutBuckets() {
        ServingMetrics metrics = metrics(MetricsProperties.DEFAULTS);

        metrics.recordStage("iris", 1, Stage.INFERENCE, 1_000_000);
        var queue = metrics.queueMeters("iris", 1, () -> 3, 128);
        queue.batchSize().record(4);

        assertThat(meters.get("serving.stage.duration")
                        .tag("stage", "inference")
                        .timer()
                        .takeSnapshot()
                        .histogramCounts())
                .isEmpty();
        assertThat(queue.batchSize().takeSnapshot().histogramCounts()).isEmpty();
        assertThat(meters.get("serving.queue.length").gauge().value()).isEqualTo(3);
        assertThat(meters.get("serving.queue.capacity").gauge().value()).isEqualTo(128);
    }

    @Test
    void fullDetailGivesStagesAndBatchSizesTheirBuckets() {
        ServingMetrics metrics = metrics(new MetricsProperties(
                MetricsProperties.Detail.FULL, List.of(Duration.ofMillis(1), Duration.ofMillis(10)), List.of(1, 8)));

        metrics.recordStage("iris", 1, Stage.PREPROCESS, 5_000_000);
        var queue = metrics.queueMeters("iris", 1, () -> 0, 16);
        queue.batchSize().record(4);
        metrics.recordRequest("predict", "iris", 1, Outcome.SUCCESS, 5_000_000);

        assertThat(meters.get("serving.stage.duration")
                        .tag("stage", "preprocess")
                        .timer()
                        .takeSnapshot()
                        .histogramCounts())
                .extracting(bucket -> bucket.bucket(), bucket -> bucket.count())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1e6, 0.0), org.assertj.core.groups.Tuple.tuple(1e7, 1.0));
        assertThat(queue.batchSize().takeSnapshot().histogramCounts()).hasSize(2);
        assertThat(meters.get("serving.request.duration").timer().takeSnapshot().histogramCounts())
                .hasSize(2);
    }

    @Test
    void closingAVersionsQueueRemovesItsGaugesAndKeepsItsCounters() {
        ServingMetrics metrics = metrics(MetricsProperties.DEFAULTS);
        var queue = metrics.queueMeters("iris", 1, () -> 0, 16);
        queue.refused().increment();

        queue.close();

        assertThat(meters.getMeters())
                .extracting(Meter::getId)
                .extracting(Meter.Id::getName)
                .doesNotContain("serving.queue.length", "serving.queue.capacity")
                .contains("serving.admission.refused");
    }
}
