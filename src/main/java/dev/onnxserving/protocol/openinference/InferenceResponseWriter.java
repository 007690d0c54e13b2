package dev.onnxserving.protocol.openinference;

import dev.onnxserving.inference.TensorResult;
import dev.onnxserving.pipeline.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code infer} responses straight from the output tensors' primitive arrays with Jackson's streaming
 * generator. Outputs asked for as binary data follow the JSON object as raw bytes; the answer then says where the
 * JSON ends ({@value OpenInferenceHeaders#HEADER_LENGTH}) and is {@code application/octet-stream}, as Triton
 * answers. Thread-safe.
 */
public final class InferenceResponseWriter {

    private final JsonMapper mapper;

    public InferenceResponseWriter(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A response as bytes: the JSON object, then the raw bytes of the outputs asked for as binary data.
     *
     * @param jsonLength the JSON object's length in bytes; what {@value OpenInferenceHeaders#HEADER_LENGTH} says when
     *     {@code binary}
     * @param binary whether binary outputs follow the JSON (the body is then {@code application/octet-stream})
     */
    public record Encoded(byte[] body, int jsonLength, boolean binary) {}

    /** The outputs asked for as binary data, encoded, by name in output order; empty when none was. */
    public Map<String, byte[]> binaries(InferenceRequest request, TensorResult result) {
        Map<String, byte[]> binaries = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> output : result.outputs()) {
            if (request.binary(output.getKey())) {
                binaries.put(output.getKey(), BinaryTensors.encode(output.getValue()));
            }
        }
        return binaries;
    }

    /** The whole response in one array (for a message, where nothing streams). */
    public Encoded encode(InferenceRequest request, TensorResult result) {
        Map<String, byte[]> binaries = binaries(request, result);
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        writeJson(body, request.id(), result, binaries);
        int jsonLength = body.size();
        binaries.values().forEach(body::writeBytes);
        return new Encoded(body.toByteArray(), jsonLength, !binaries.isEmpty());
    }

    /** The JSON object: outputs in {@code binaries} carry their size instead of their data. */
    public void writeJson(OutputStream target, String id, TensorResult result, Map<String, byte[]> binaries) {
        try (JsonGenerator json = mapper.createGenerator(target)) {
            json.writeStartObject();
            json.writeStringProperty("model_name", result.model());
            json.writeStringProperty("model_version", Long.toString(result.version()));
            if (id != null) {
                json.writeStringProperty("id", id);
            }
            json.writeArrayPropertyStart("outputs");
            for (Map.Entry<String, Tensor> output : result.outputs()) {
                Tensor tensor = output.getValue();
                json.writeStartObject();
                json.writeStringProperty("name", output.getKey());
                json.writeStringProperty("datatype", tensor.type().protocolName());
                json.writeName("shape");
                long[] shape = tensor.shape();
                json.writeArray(shape, 0, shape.length);
                byte[] binary = binaries.get(output.getKey());
                if (binary != null) {
                    json.writeObjectPropertyStart("parameters");
                    json.writeNumberProperty(InferenceRequestReader.BINARY_DATA_SIZE, binary.length);
                    json.writeEndObject();
                } else {
                    json.writeName("data");
                    writeData(json, tensor);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void writeData(JsonGenerator json, Tensor tensor) {
        tensor.type().codec().writeJson(json, tensor.data(), tensor.elementCount());
    }
}
