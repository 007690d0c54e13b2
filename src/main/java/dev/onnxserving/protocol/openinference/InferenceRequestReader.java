package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonScalar;
import dev.onnxserving.protocol.JsonProblems;
import dev.onnxserving.protocol.openinference.InferenceRequest.RequestedOutput;
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
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses {@code infer} request bodies with Jackson's streaming parser: tensor data goes straight from the JSON text
 * (or the binary section) into primitive arrays, never through boxed values or a JSON tree. Fields may come in any
 * order; unknown fields are ignored, as the protocol's clients may send more than it defines (e.g. a
 * {@code model_name}). Every length in the body is checked against the bytes that are really there. Thread-safe.
 */
public final class InferenceRequestReader {

    static final String BINARY_DATA_SIZE = "binary_data_size";
    static final String BINARY_DATA = "binary_data";
    static final String BINARY_DATA_OUTPUT = "binary_data_output";

    private static final int UNKNOWN_LENGTH_CAPACITY_LIMIT = 1 << 16;
    private static final String HEADER_NEEDED = "the binary tensor data extension needs the "
            + OpenInferenceHeaders.HEADER_LENGTH + " header: the length of the JSON object that starts the body, or 0"
            + " for a body that is only the bytes of the model's one input";

    private final JsonMapper mapper;

    public InferenceRequestReader(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads a body that is JSON only.
     *
     * @param bodyLength the declared body length, or -1 when unknown; only sizes buffers
     */
    public InferenceRequest readJson(InputStream body, long bodyLength) {
        try (JsonParser parser = mapper.createParser(body)) {
            RequestHeader header = parseHeader(parser, capacityLimit(bodyLength), false);
            return header.toRequest(mapper, null, 0, 0);
        } catch (JacksonException e) {
            throw JsonProblems.translate(e);
        }
    }

    /**
     * Reads a body whose first {@code jsonLength} bytes are the JSON object and the rest the inputs' binary data.
     *
     * @throws InvalidInputException when {@code jsonLength} or any {@code binary_data_size} does not fit the body
     */
    public InferenceRequest readBinary(byte[] body, long jsonLength) {
        if (jsonLength < 0 || jsonLength > body.length) {
            throw new InvalidInputException(OpenInferenceHeaders.HEADER_LENGTH + " is " + jsonLength
                    + ", but the body has " + body.length + " bytes; expected the length of the JSON object that"
                    + " starts the body");
        }
        int json = (int) jsonLength;
        try (JsonParser parser = mapper.createParser(body, 0, json)) {
            RequestHeader header = parseHeader(parser, capacityLimit(json), true);
            return header.toRequest(mapper, body, json, body.length - json);
        } catch (JacksonException e) {
            throw JsonProblems.translate(e);
        }
    }

    private static int capacityLimit(long jsonBytes) {
        // every JSON element takes at least a digit and a comma
        return jsonBytes < 0 ? UNKNOWN_LENGTH_CAPACITY_LIMIT : (int) Math.min(Integer.MAX_VALUE, jsonBytes / 2 + 1);
    }

    /** @param lengthHeader whether the request has {@value OpenInferenceHeaders#HEADER_LENGTH} */
    private RequestHeader parseHeader(JsonParser parser, int capacityLimit, boolean lengthHeader) {
        JsonToken token = firstToken(parser, lengthHeader);
        if (token != JsonToken.START_OBJECT) {
            throw new InvalidInputException("expected a JSON object {\"inputs\": [...]}, got "
                    + (token == null ? "an empty body" : JsonScalar.describe(parser, token))
                    + (lengthHeader || token == null ? "" : "; if the body is binary, " + HEADER_NEEDED));
        }
        RequestHeader header = new RequestHeader();
        String name;
        while ((name = parser.nextName()) != null) {
            parser.nextToken();
            switch (name) {
                case "id" -> header.id = string(parser, "id");
                case "parameters" -> header.parameters = parameters(parser, "parameters");
                case "inputs" -> header.inputs = inputs(parser, capacityLimit);
                case "outputs" -> header.outputs = outputs(parser);
                default -> parser.skipChildren();
            }
        }
        if (!lengthHeader) {
            header.requireNoBinaryInputs();
        }
        if (parser.nextToken() != null) {
            throw new InvalidInputException("unexpected content after the request's JSON object");
        }
        return header;
    }

    /** The body's first token; a body that is not JSON at all is most likely binary data sent without the header. */
    private static JsonToken firstToken(JsonParser parser, boolean lengthHeader) {
        try {
            return parser.nextToken();
        } catch (StreamReadException e) {
            if (lengthHeader) {
                throw e;
            }
            throw new InvalidInputException("the body is not JSON; it looks binary, and " + HEADER_NEEDED);
        }
    }

    private List<InputEntry> inputs(JsonParser parser, int capacityLimit) {
        expectArray(parser, "inputs", "an array of input tensors");
        List<InputEntry> inputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            InputEntry input = new InputEntry(inputs.size());
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(input.where() + ": expected an object {\"name\", \"shape\","
                        + " \"datatype\", \"data\"}, got " + JsonScalar.describe(parser, parser.currentToken()));
            }
            String field;
            while ((field = parser.nextName()) != null) {
                parser.nextToken();
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
                        + JsonScalar.describe(parser, parser.currentToken()));
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
            throw new InvalidInputException(
                    field + ": expected " + expected + ", got " + JsonScalar.describe(parser, parser.currentToken()));
        }
    }

    private static String string(JsonParser parser, String where) {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidInputException(
                    where + ": expected a string, got " + JsonScalar.describe(parser, parser.currentToken()));
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
                        + JsonScalar.describe(parser, token) + " at position " + rank);
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
                    where + ": expected an object, got " + JsonScalar.describe(parser, parser.currentToken()));
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
                            + (token == JsonToken.START_ARRAY ? "an array" : JsonScalar.describe(parser, token)));
            };
            parameters.put(key, value);
        }
        return parameters;
    }
}
