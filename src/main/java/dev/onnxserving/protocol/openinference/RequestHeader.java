package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.protocol.openinference.InferenceRequest.RequestedOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** An {@code infer} request as {@link InferenceRequestReader} has parsed it so far. */
final class RequestHeader {

    String id;
    Map<String, Object> parameters = Map.of();
    List<InputEntry> inputs;
    List<RequestedOutput> outputs = List.of();

    /** A body without the header has no binary section for an input to point into. */
    void requireNoBinaryInputs() {
        for (InputEntry input : inputs == null ? List.<InputEntry>of() : inputs) {
            if (input.binarySize >= 0) {
                throw new InvalidInputException(
                        input.where() + " has parameters." + InferenceRequestReader.BINARY_DATA_SIZE
                                + ", but the request has no " + OpenInferenceHeaders.HEADER_LENGTH
                                + " header to say where its binary data starts");
            }
        }
    }

    /**
     * @param body the whole body when it has a binary section, else {@code null}
     * @param offset where the binary section starts
     * @param length how long it is
     */
    InferenceRequest toRequest(JsonMapper mapper, byte[] body, int offset, int length) {
        if (inputs == null) {
            throw new InvalidInputException("missing 'inputs': expected an array of input tensors");
        }
        Object binaryOutput = parameters.get(InferenceRequestReader.BINARY_DATA_OUTPUT);
        if (binaryOutput != null && !(binaryOutput instanceof Boolean)) {
            throw new InvalidInputException("parameters." + InferenceRequestReader.BINARY_DATA_OUTPUT
                    + ": expected a boolean, got " + binaryOutput);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int position = offset;
        int end = offset + length;
        for (InputEntry input : inputs) {
            Tensor tensor;
            if (input.binarySize >= 0) {
                input.checkComplete();
                if (input.binarySize > end - position) {
                    throw new InvalidInputException(input.where() + ": binary_data_size is " + input.binarySize
                            + ", but only " + (end - position) + " bytes of binary data remain in the body");
                }
                int size = (int) input.binarySize;
                tensor = BinaryTensors.decode(input.type, input.shape, body, position, size, input.where());
                position += size;
            } else {
                tensor = input.jsonTensor(mapper);
            }
            if (tensors.put(input.name, tensor) != null) {
                throw new InvalidInputException("input '" + input.name + "' appears twice in the request");
            }
        }
        if (position != end) {
            throw new InvalidInputException("the body has " + length + " bytes after its JSON object, but the"
                    + " inputs' binary_data_size add up to " + (position - offset));
        }
        return new InferenceRequest(id, parameters, Tensors.of(tensors), outputs, Boolean.TRUE.equals(binaryOutput));
    }
}
