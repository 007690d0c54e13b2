package dev.onnxserving.web;

import ai.onnxruntime.OrtEnvironment;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.processors.ClassificationPostprocessor;
import dev.onnxserving.processors.TabularPreprocessor;
import dev.onnxserving.protocol.PredictRequest;
import dev.onnxserving.protocol.PredictResponse;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.runtime.OnnxProperties;
import dev.onnxserving.runtime.OnnxSessionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code /predict} path of iris version 2 without HTTP: the JSON codec and processors on each side of the model,
 * and the whole path with the real ONNX Runtime session in the middle. Run from the repository root (it reads
 * {@code models/iris}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PredictPathBenchmark {

    private static final byte[] BODY =
            "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}]}"
                    .getBytes(StandardCharsets.UTF_8);

    private JsonMapper json;
    private InferenceSession session;
    private Preprocessing preprocessing;
    private Postprocessing postprocessing;
    private Tensors outputs;

    @Setup(Level.Trial)
    public void open() {
        json = JsonMapper.builder().build();
        Path directory = Path.of("models/iris");
        session = new OnnxSessionFactory(
                        OrtEnvironment.getEnvironment(), new OnnxProperties(0, 1, OnnxProperties.OptimizationLevel.ALL))
                .open(directory.resolve("2/model.onnx"));
        ModelSettings settings = ModelSettings.read(directory);
        ModelContext context = new ModelContext("iris", 2, directory, session.signature(), settings.options());
        preprocessing = new TabularPreprocessor().bind(context);
        postprocessing = new ClassificationPostprocessor().bind(context);
        outputs = session.run(decode(), Set.of());
    }

    @TearDown(Level.Trial)
    public void close() {
        session.close();
    }

    /** Body bytes to the model's input tensors. */
    @Benchmark
    public Tensors decode() {
        PredictRequest request = PredictRequest.from(json.readTree(BODY));
        return preprocessing.apply(request.instances(), request.parameters());
    }

    /** The model's output tensors to response bytes. */
    @Benchmark
    public byte[] encode() {
        List<?> predictions = postprocessing.apply(outputs, 1, dev.onnxserving.pipeline.RequestParameters.of(null));
        return json.writeValueAsBytes(new PredictResponse("iris", "2", predictions));
    }

    /** Body bytes to response bytes through the real model. */
    @Benchmark
    public byte[] wholePath() {
        JsonNode body = json.readTree(BODY);
        PredictRequest request = PredictRequest.from(body);
        Tensors inputs = preprocessing.apply(request.instances(), request.parameters());
        Tensors produced = session.run(inputs, Set.of());
        List<?> predictions = postprocessing.apply(produced, request.instances().size(), request.parameters());
        return json.writeValueAsBytes(new PredictResponse("iris", "2", predictions));
    }
}
