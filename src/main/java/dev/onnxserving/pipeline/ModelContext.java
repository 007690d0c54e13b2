package dev.onnxserving.pipeline;

import java.nio.file.Path;

/**
 * What a processor may know about the model version it is bound to.
 *
 * @param name the model's name
 * @param version the version number
 * @param directory the model's folder (where {@code model.yaml} and files such as {@code labels.txt} are); processors
 *     read files there only while binding, never per request
 * @param signature the loaded model's inputs, outputs and metadata
 * @param options the {@code options} section of {@code model.yaml}
 */
public record ModelContext(
        String name, long version, Path directory, ModelSignature signature, ProcessorOptions options) {

    /** {@code iris/2}, for messages. */
    public String label() {
        return name + "/" + version;
    }
}
