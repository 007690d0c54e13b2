package dev.onnxserving.web.openinference;

import dev.onnxserving.inference.TensorResult;
import dev.onnxserving.pipeline.Tensor;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code infer} responses straight from the output tensors' primitive arrays with Jackson's streaming
 * generator. Outputs asked for as binary data follow the JSON object as raw bytes; the response then says where the
 * JSON ends ({@value OpenInferenceHeaders#HEADER_LENGTH}) and is {@code application/octet-stream}, as Triton
 * answers. Thread-safe.
 */
final class InferenceResponseWriter {

    private final JsonMapper mapper;

    InferenceResponseWriter(JsonMapper mapper) {
        this.mapper = mapper;
    }

    void write(InferenceRequest request, TensorResult result, HttpServletResponse response) throws IOException {
        Map<String, byte[]> binaries = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> output : result.outputs()) {
            if (request.binary(output.getKey())) {
                binaries.put(output.getKey(), BinaryTensors.encode(output.getValue()));
            }
        }
        response.setStatus(HttpServletResponse.SC_OK);
        if (binaries.isEmpty()) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            try (OutputStream body = response.getOutputStream()) {
                writeJson(body, request.id(), result, binaries);
            }
            return;
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream(1024);
        writeJson(json, request.id(), result, binaries);
        long length = json.size();
        for (byte[] binary : binaries.values()) {
            length += binary.length;
        }
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setHeader(OpenInferenceHeaders.HEADER_LENGTH, Integer.toString(json.size()));
        response.setHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        try (OutputStream body = response.getOutputStream()) {
            json.writeTo(body);
            for (byte[] binary : binaries.values()) {
                body.write(binary);
            }
        }
    }

    /** The JSON object: outputs in {@code binaries} carry their size instead of their data. */
    void writeJson(OutputStream target, String id, TensorResult result, Map<String, byte[]> binaries) {
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
