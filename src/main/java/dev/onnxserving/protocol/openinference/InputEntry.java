package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One request input as {@link InferenceRequestReader} has parsed it so far. */
final class InputEntry {

    private final int index;
    String name;
    ElementType type;
    long[] shape;
    long binarySize = -1;
    private JsonNode pendingData;
    private JsonTensorData.Parsed data;

    InputEntry(int index) {
        this.index = index;
    }

    String where() {
        return name != null ? "input '" + name + "'" : "inputs[" + index + "]";
    }

    void parameters(Map<String, Object> parameters) {
        Object size = parameters.get(InferenceRequestReader.BINARY_DATA_SIZE);
        if (size == null) {
            return;
        }
        if (!(size instanceof Integer || size instanceof Long) || ((Number) size).longValue() < 0) {
            throw new InvalidInputException(where() + " parameters." + InferenceRequestReader.BINARY_DATA_SIZE
                    + ": expected a whole number of bytes, got " + size);
        }
        binarySize = ((Number) size).longValue();
    }

    /** Reads {@code data} now when the datatype is known; otherwise keeps it until it is. */
    void data(JsonParser parser, int capacityLimit) {
        if (type == null) {
            pendingData = parser.readValueAsTree();
            return;
        }
        data = JsonTensorData.read(parser, type, capacity(capacityLimit), where());
    }

    private int capacity(int limit) {
        if (shape == null) {
            return 0;
        }
        long count = 1;
        for (long dim : shape) {
            count *= dim;
            if (count > limit || count < 0) {
                return limit;
            }
        }
        return (int) count;
    }

    void checkComplete() {
        if (name == null) {
            throw new InvalidInputException(where() + ": missing 'name'");
        }
        if (type == null) {
            throw new InvalidInputException(where() + ": missing 'datatype'; expected one of " + Datatypes.SUPPORTED);
        }
        if (shape == null) {
            throw new InvalidInputException(where() + ": missing 'shape'");
        }
        try {
            Shapes.elementCount(shape);
        } catch (ArithmeticException e) {
            throw new InvalidInputException(
                    where() + ": shape " + Shapes.format(shape) + " has more elements than a tensor can hold");
        }
        if (binarySize >= 0 && (data != null || pendingData != null)) {
            throw new InvalidInputException(where() + " has both 'data' and parameters."
                    + InferenceRequestReader.BINARY_DATA_SIZE + "; send its elements one way");
        }
    }

    Tensor jsonTensor(JsonMapper mapper) {
        checkComplete();
        if (pendingData != null) {
            try (JsonParser parser = mapper.treeAsTokens(pendingData)) {
                parser.nextToken();
                data = JsonTensorData.read(parser, type, 0, where());
            }
        }
        if (data == null) {
            throw new InvalidInputException(where() + ": missing 'data' (or parameters."
                    + InferenceRequestReader.BINARY_DATA_SIZE + " with the binary data after the JSON object)");
        }
        data.check(shape, where());
        return Tensor.of(type, shape, data.array());
    }
}
