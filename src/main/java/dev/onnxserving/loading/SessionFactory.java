package dev.onnxserving.loading;

import dev.onnxserving.pipeline.InferenceSession;
import java.nio.file.Path;

/** Opens a model file as a session. The caller owns the session and closes it. */
public interface SessionFactory {

    /** @throws dev.onnxserving.pipeline.ModelConfigurationException when the file cannot be loaded */
    InferenceSession open(Path modelFile);
}
