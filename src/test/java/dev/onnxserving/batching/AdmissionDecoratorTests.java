package dev.onnxserving.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.observability.ServingMetrics;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.testing.FakeSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class AdmissionDecoratorTests {

    private static final ModelSignature BATCHABLE = new ModelSignature(
            List.of(new TensorSpec("x", ElementType.FP32, -1, 1)),
            List.of(new TensorSpec("y", ElementType.FP32, -1, 1)),
            Map.of());
    private static final ModelSignature FIXED = new ModelSignature(
            List.of(new TensorSpec("x", ElementType.FP32, 1, 1)),
            List.of(new TensorSpec("y", ElementType.FP32, 1, 1)),
            Map.of());

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ServingMetrics metrics =
            new ServingMetrics(meters, new StaticListableBeanFactory().getBeanProvider(ModelRegistry.class));

    @Test
    void batchesAModelWhoseYamlEnablesIt() {
        FakeSession session = new FakeSession(BATCHABLE, AdmissionDecoratorTests::identity);
        InferenceSession decorated = decorator(null).decorate(context(BATCHABLE), settings(true), session);

        decorated.run(value(), Set.of());

        assertThat(meters.find("serving.batch.size").tag("model", "iris").summary())
                .isNotNull()
                .extracting(summary -> summary.count())
                .isEqualTo(1L);
        System.gc();
        assertThat(meters.find("serving.queue.length").tag("model", "iris").gauge())
                .isNotNull()
                .extracting(gauge -> gauge.value())
                .isEqualTo(0.0);
        decorated.close();
        assertThat(session.closed).isTrue();
        assertThat(meters.find("serving.queue.length").gauge()).isNull();
    }

    @Test
    void boundsButDoesNotBatchWhenTheDeploymentTurnsBatchingOff() {
        FakeSession session = new FakeSession(BATCHABLE, AdmissionDecoratorTests::identity);
        InferenceSession decorated = decorator(new ServingProperties.Batching(false, null, null, null))
                .decorate(context(BATCHABLE), settings(true), session);

        decorated.run(value(), Set.of());

        assertThat(session.runs).hasSize(1);
        assertThat(meters.find("serving.batch.size").summary().count()).isZero();
        assertThat(meters.find("serving.queue.length").tag("version", "1").gauge())
                .isNotNull();
        decorated.close();
    }

    @Test
    void neverBatchesAModelWithAFixedFirstDimensionEvenWhenAskedTo() {
        FakeSession session = new FakeSession(FIXED, AdmissionDecoratorTests::identity);
        InferenceSession decorated = decorator(null).decorate(context(FIXED), settings(true), session);

        decorated.run(value(), Set.of());

        assertThat(session.runs).hasSize(1);
        assertThat(meters.find("serving.batch.size").summary().count()).isZero();
        decorated.close();
    }

    @Test
    void failsTheLoadOfAVersionWithAMistypedBatchingSection() {
        ModelSettings broken = new ModelSettings(
                "",
                "tensor",
                "tensor",
                ProcessorOptions.empty(),
                Map.of("max-delay", 5),
                Map.of(),
                ModelSettings.DeploymentDefaults.NONE);

        assertThatThrownBy(() -> decorator(null)
                        .decorate(context(BATCHABLE), broken, new FakeSession(BATCHABLE, inputs -> Map.of())))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessageContaining("batching.max-delay");
    }

    private AdmissionDecorator decorator(ServingProperties.Batching deployment) {
        ServingProperties models = new ServingProperties(
                null,
                null,
                Map.of(
                        "iris",
                        new ServingProperties.Model(null, null, null, null, null, null, deployment, false, null)),
                null);
        return new AdmissionDecorator(new BatchingProperties(8, Duration.ofMillis(1), 16, 2), models, metrics);
    }

    private static ModelSettings settings(boolean enabled) {
        return new ModelSettings(
                "",
                "tensor",
                "tensor",
                ProcessorOptions.empty(),
                Map.of("enabled", enabled),
                Map.of(),
                ModelSettings.DeploymentDefaults.NONE);
    }

    private static ModelContext context(ModelSignature signature) {
        return new ModelContext("iris", 1, Path.of("models/iris"), signature, ProcessorOptions.empty());
    }

    private static Tensors value() {
        return Tensors.of("x", Tensor.ofFloats(new long[] {1, 1}, new float[] {3f}));
    }

    private static Map<String, Tensor> identity(Tensors inputs) {
        return Map.of("y", inputs.get("x"));
    }
}
