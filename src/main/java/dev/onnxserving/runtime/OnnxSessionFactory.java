package dev.onnxserving.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.onnxserving.loading.SessionFactory;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelConfigurationException;
import java.nio.file.Path;

/** Opens ONNX Runtime sessions with the configured options. Thread-safe. */
public final class OnnxSessionFactory implements SessionFactory {

    private final OrtEnvironment environment;
    private final OnnxProperties properties;

    public OnnxSessionFactory(OrtEnvironment environment, OnnxProperties properties) {
        this.environment = environment;
        this.properties = properties;
    }

    /**
     * Loads {@code modelFile}. The returned session owns its {@link SessionOptions}; both are released by its
     * {@code close()}.
     *
     * @throws ModelConfigurationException when the file is not a model ONNX Runtime can load; the message names
     *     the file by its name only
     */
    @Override
    public InferenceSession open(Path modelFile) {
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(properties.effectiveIntraOpThreads());
            options.setInterOpNumThreads(properties.interOpThreads());
            options.setExecutionMode(
                    properties.interOpThreads() > 1
                            ? SessionOptions.ExecutionMode.PARALLEL
                            : SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(optLevel(properties.optimizationLevel()));
            OrtSession session = environment.createSession(modelFile.toString(), options);
            return new OnnxInferenceSession(environment, session, options);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw new ModelConfigurationException("ONNX Runtime cannot load " + modelFile.getFileName() + ": "
                    + RuntimeMessages.clean(e.getMessage()));
        }
    }

    private static OptLevel optLevel(OnnxProperties.OptimizationLevel level) {
        return switch (level) {
            case NONE -> OptLevel.NO_OPT;
            case BASIC -> OptLevel.BASIC_OPT;
            case EXTENDED -> OptLevel.EXTENDED_OPT;
            case ALL -> OptLevel.ALL_OPT;
        };
    }
}
