package dev.onnxserving.web.openinference;

import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.TensorSpec;
import java.util.List;

/**
 * The protocol's model metadata.
 *
 * @param name the model's name
 * @param versions the versions that are READY, as strings
 * @param platform always {@value #PLATFORM}, the name Triton gives ONNX Runtime models
 * @param inputs the model's inputs
 * @param outputs its tensor outputs (maps and sequences cannot be returned by this protocol)
 */
record ModelMetadata(
        String name,
        List<String> versions,
        String platform,
        List<TensorMetadata> inputs,
        List<TensorMetadata> outputs) {

    static final String PLATFORM = "onnxruntime_onnx";

    /** One tensor: its datatype by the protocol's name, its shape with -1 for dynamic dimensions. */
    record TensorMetadata(String name, String datatype, long[] shape) {
        static TensorMetadata of(TensorSpec spec) {
            return new TensorMetadata(spec.name(), spec.type().protocolName(), spec.shape());
        }
    }

    static ModelMetadata of(String name, List<Long> versions, ModelSignature signature) {
        return new ModelMetadata(
                name,
                versions.stream().map(String::valueOf).toList(),
                PLATFORM,
                signature.inputs().stream()
                        .filter(TensorSpec::isTensor)
                        .map(TensorMetadata::of)
                        .toList(),
                signature.tensorOutputs().stream().map(TensorMetadata::of).toList());
    }
}
