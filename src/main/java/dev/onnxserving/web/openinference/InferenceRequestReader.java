package dev.onnxserving.web.openinference;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.web.JsonProblems;
import dev.onnxserving.web.openinference.InferenceRequest.RequestedOutput;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses {@code infer} request bodies with Jackson's streaming parser: tensor data goes straight from the JSON text
 * (or the binary section) into primitive arrays, never through boxed values or a JSON tree. Fields may come in any
 * order; unknown fields are ignored, as the protocol's clients may send more than it defines (e.g. a
 * {@code model_name}). Every length in the body is checked against the bytes that are really there. Thread-safe.
 */
final class InferenceRequestReader {

    static final String BINARY_DATA_SIZE = "binary_data_size";
    static final String BINARY_DATA = "binary_data";
    static final String BINARY_DATA_OUTPUT = "binary_data_output";

    private static final int UNKNOWN_LENGTH_CAPACITY_LIMIT = 1 << 16;

    private final JsonMapper mapper;

    InferenceRequestReader(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads a body that is JSON only.
     *
     * @param bodyLength the declared body length, or -1 when unknown; only sizes buffers
     */
    InferenceRequest readJson(InputStream body, long bodyLength) {
        try (JsonParser parser = mapper.createParser(body)) {
            Header header = parseHeader(parser, capacityLimit(bodyLength));
            return header.toRequest(null, 0, 0);
        } catch (JacksonException e) {
            throw JsonProblems.translate(e);
        }
    }

    /**
     * Reads a body whose first {@code jsonLength} bytes are the JSON object and the rest the inputs' binary data.
     *
     * @throws InvalidInputException when {@code jsonLength} or any {@code binary_data_size} does not fit the body
     */
    InferenceRequest readBinary(byte[] body, long jsonLength) {
        if (jsonLength < 0 || jsonLength > body.length) {
            throw new InvalidInputException(OpenInferenceHeaders.HEADER_LENGTH + " is " + jsonLength
                    + ", but the body has " + body.length + " bytes; expected the length of the JSON object that"
                    + " starts the body");
        }
        int json = (int) jsonLength;
        try (JsonParser parser = mapper.createParser(body, 0, json)) {
            Header header = parseHeader(parser, capacityLimit(json));
            return header.toRequest(body, json, body.length - json);
        } catch (JacksonException e) {
            throw JsonProblems.translate(e);
        }
    }

    private static int capacityLimit(long jsonBytes) {
        // every JSON element takes at least a digit and a comma
        return jsonBytes < 0 ? UNKNOWN_LENGTH_CAPACITY_LIMIT : (int) Math.min(Integer.MAX_VALUE, jsonBytes / 2 + 1);
    }

    private Header parseHeader(JsonParser parser, int capacityLimit) {
        JsonToken token = parser.nextToken();
        if (token != JsonToken.START_OBJECT) {
            throw new InvalidInputException("expected a JSON object {\"inputs\": [...]}, got "
                    + (token == null ? "an empty body" : ElementBuffer.describe(parser, token)));
        }
        Header header = new Header();
        Set<String> seen = new HashSet<>();
        String name;
        while ((name = parser.nextName()) != null) {
            parser.nextToken();
            if (!seen.add(name)) {
                throw new InvalidInputException("field '" + name + "' appears twice in the request");
            }
            switch (name) {
                case "id" -> header.id = string(parser, "id");
                case "parameters" -> header.parameters = parameters(parser, "parameters");
                case "inputs" -> header.inputs = inputs(parser, capacityLimit);
                case "outputs" -> header.outputs = outputs(parser);
                default -> parser.skipChildren();
            }
        }
        if (parser.nextToken() != null) {
            throw new InvalidInputException("unexpected content after the request's JSON object");
        }
        return header;
    }

    private List<InputEntry> inputs(JsonParser parser, int capacityLimit) {
        expectArray(parser, "inputs", "an array of input tensors");
        List<InputEntry> inputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            InputEntry input = new InputEntry(inputs.size());
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(input.where() + ": expected an object {\"name\", \"shape\","
                        + " \"datatype\", \"data\"}, got " + ElementBuffer.describe(parser, parser.currentToken()));
            }
            Set<String> seen = new HashSet<>();
            String field;
            while ((field = parser.nextName()) != null) {
                parser.nextToken();
                if (!seen.add(field)) {
                    throw new InvalidInputException(input.where() + ": field '" + field + "' appears twice");
                }
                switch (field) {
                    case "name" -> input.name = string(parser, input.where() + ".name");
                    case "datatype" ->
                        input.type = Datatypes.parse(string(parser, input.where() + ".datatype"), input.where());
                    case "shape" -> input.shape = shape(parser, input.where());
                    case "parameters" -> input.parameters(parameters(parser, input.where() + ".parameters"));
                    case "data" -> input.data(parser, capacityLimit);
                    default -> parser.skipChildren();
                }
            }
            inputs.add(input);
        }
        return inputs;
    }

    private List<RequestedOutput> outputs(JsonParser parser) {
        expectArray(parser, "outputs", "an array of {\"name\": ...} objects");
        List<RequestedOutput> outputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String where = "outputs[" + outputs.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(where + ": expected an object {\"name\": ...}, got "
                        + ElementBuffer.describe(parser, parser.currentToken()));
            }
            String name = null;
            Map<String, Object> parameters = Map.of();
            String field;
            while ((field = parser.nextName()) != null) {
                parser.nextToken();
                switch (field) {
                    case "name" -> name = string(parser, where + ".name");
                    case "parameters" -> parameters = parameters(parser, where + ".parameters");
                    default -> parser.skipChildren();
                }
            }
            if (name == null) {
                throw new InvalidInputException(where + ": missing 'name'");
            }
            if (!names.add(name)) {
                throw new InvalidInputException("output '" + name + "' is requested twice");
            }
            Object binary = parameters.get(BINARY_DATA);
            if (binary != null && !(binary instanceof Boolean)) {
                throw new InvalidInputException(
                        "output '" + name + "' parameters." + BINARY_DATA + ": expected a boolean, got " + binary);
            }
            outputs.add(new RequestedOutput(name, (Boolean) binary));
        }
        return outputs;
    }

    private static void expectArray(JsonParser parser, String field, String expected) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(field + ": expected " + expected + ", got "
                    + ElementBuffer.describe(parser, parser.currentToken()));
        }
    }

    private static String string(JsonParser parser, String where) {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidInputException(
                    where + ": expected a string, got " + ElementBuffer.describe(parser, parser.currentToken()));
        }
        return parser.getString();
    }

    private static long[] shape(JsonParser parser, String where) {
        expectArray(parser, where + ".shape", "an array of dimensions");
        long[] dims = new long[4];
        int rank = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT
                    || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() < 0) {
                throw new InvalidInputException(where + ": shape must be an array of non-negative whole numbers, got "
                        + ElementBuffer.describe(parser, token) + " at position " + rank);
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = parser.getLongValue();
        }
        return Arrays.copyOf(dims, rank);
    }

    /** A {@code parameters} object: values must be strings, numbers or booleans. */
    private static Map<String, Object> parameters(JsonParser parser, String where) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidInputException(
                    where + ": expected an object, got " + ElementBuffer.describe(parser, parser.currentToken()));
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        String key;
        while ((key = parser.nextName()) != null) {
            JsonToken token = parser.nextToken();
            Object value = switch (token) {
                case VALUE_STRING -> parser.getString();
                case VALUE_NUMBER_INT -> parser.getNumberValue();
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default ->
                    throw new InvalidInputException(where + "." + key
                            + ": expected a string, number or boolean, got "
                            + (token == JsonToken.START_ARRAY ? "an array" : ElementBuffer.describe(parser, token)));
            };
            parameters.put(key, value);
        }
        return parameters;
    }

    /** The request as parsed so far. */
    private final class Header {
        private String id;
        private Map<String, Object> parameters = Map.of();
        private List<InputEntry> inputs;
        private List<RequestedOutput> outputs = List.of();

        /**
         * @param body the whole body when it has a binary section, else {@code null}
         * @param offset where the binary section starts
         * @param length how long it is
         */
        InferenceRequest toRequest(byte[] body, int offset, int length) {
            if (inputs == null) {
                throw new InvalidInputException("missing 'inputs': expected an array of input tensors");
            }
            Object binaryOutput = parameters.get(BINARY_DATA_OUTPUT);
            if (binaryOutput != null && !(binaryOutput instanceof Boolean)) {
                throw new InvalidInputException(
                        "parameters." + BINARY_DATA_OUTPUT + ": expected a boolean, got " + binaryOutput);
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            int position = offset;
            int end = offset + length;
            for (InputEntry input : inputs) {
                Tensor tensor;
                if (input.binarySize >= 0) {
                    if (body == null) {
                        throw new InvalidInputException(input.where() + " has parameters." + BINARY_DATA_SIZE
                                + ", but the request has no " + OpenInferenceHeaders.HEADER_LENGTH
                                + " header to say where its binary data starts");
                    }
                    input.checkComplete();
                    if (input.binarySize > end - position) {
                        throw new InvalidInputException(input.where() + ": binary_data_size is " + input.binarySize
                                + ", but only " + (end - position) + " bytes of binary data remain in the body");
                    }
                    int size = (int) input.binarySize;
                    tensor = BinaryTensors.decode(input.type, input.shape, body, position, size, input.where());
                    position += size;
                } else {
                    tensor = input.jsonTensor();
                }
                if (tensors.put(input.name, tensor) != null) {
                    throw new InvalidInputException("input '" + input.name + "' appears twice in the request");
                }
            }
            if (position != end) {
                throw new InvalidInputException("the body has " + length + " bytes after its JSON object, but the"
                        + " inputs' binary_data_size add up to " + (position - offset));
            }
            return new InferenceRequest(
                    id, parameters, Tensors.of(tensors), outputs, Boolean.TRUE.equals(binaryOutput));
        }
    }

    /** One request input as parsed so far. */
    private final class InputEntry {
        private final int index;
        private String name;
        private ElementType type;
        private long[] shape;
        private long binarySize = -1;
        private JsonNode pendingData;
        private JsonTensorData.Parsed data;

        InputEntry(int index) {
            this.index = index;
        }

        String where() {
            return name != null ? "input '" + name + "'" : "inputs[" + index + "]";
        }

        void parameters(Map<String, Object> parameters) {
            Object size = parameters.get(BINARY_DATA_SIZE);
            if (size == null) {
                return;
            }
            if (!(size instanceof Integer || size instanceof Long) || ((Number) size).longValue() < 0) {
                throw new InvalidInputException(where() + " parameters." + BINARY_DATA_SIZE
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
                throw new InvalidInputException(
                        where() + ": missing 'datatype'; expected one of " + Datatypes.SUPPORTED);
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
                throw new InvalidInputException(where() + " has both 'data' and parameters." + BINARY_DATA_SIZE
                        + "; send its elements one way");
            }
        }

        Tensor jsonTensor() {
            checkComplete();
            if (pendingData != null) {
                try (JsonParser parser = mapper.treeAsTokens(pendingData)) {
                    parser.nextToken();
                    data = JsonTensorData.read(parser, type, 0, where());
                }
            }
            if (data == null) {
                throw new InvalidInputException(where() + ": missing 'data' (or parameters." + BINARY_DATA_SIZE
                        + " with the binary data after the JSON object)");
            }
            data.check(shape, where());
            return Tensor.of(type, shape, data.array());
        }
    }
}
