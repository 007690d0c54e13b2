package dev.onnxserving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Processor steps that hold resources (a native tokenizer) close with their version, after its session. */
class LoadedVersionClosingTests {

    private final List<String> closed = new ArrayList<>();

    @Test
    void closesACloseableProcessorStepAfterTheSessionOnceTheLastLeaseIsReleased() {
        LoadedVersion version = new LoadedVersion(context(), new Session(), new ClosingPreprocessing(), outputs());

        assertThat(version.tryRetain()).isTrue();
        version.retire();
        assertThat(closed).isEmpty();

        version.release();

        assertThat(closed).containsExactly("session", "preprocessing");
    }

    @Test
    void leavesStepsThatHoldNothingAlone() {
        LoadedVersion version = new LoadedVersion(context(), new Session(), (instances, parameters) -> null, outputs());

        version.retire();

        assertThat(closed).containsExactly("session");
    }

    private static Postprocessing outputs() {
        return (tensors, instances, parameters) -> List.of();
    }

    private static ModelContext context() {
        return new ModelContext(
                "test",
                1,
                Path.of("models", "test"),
                new ModelSignature(List.of(), List.of(), Map.of()),
                ProcessorOptions.empty());
    }

    private final class Session implements InferenceSession {
        @Override
        public ModelSignature signature() {
            return new ModelSignature(List.of(), List.of(), Map.of());
        }

        @Override
        public Tensors run(Tensors inputs, Set<String> outputs) {
            return inputs;
        }

        @Override
        public void close() {
            closed.add("session");
        }
    }

    private final class ClosingPreprocessing implements Preprocessing, AutoCloseable {
        @Override
        public Tensors apply(List<JsonNode> instances, RequestParameters parameters) {
            return Tensors.of(Map.of());
        }

        @Override
        public void close() {
            closed.add("preprocessing");
        }
    }
}
