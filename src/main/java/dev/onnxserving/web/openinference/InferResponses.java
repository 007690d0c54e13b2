package dev.onnxserving.web.openinference;

import dev.onnxserving.inference.TensorResult;
import dev.onnxserving.protocol.openinference.InferenceRequest;
import dev.onnxserving.protocol.openinference.InferenceResponseWriter;
import dev.onnxserving.protocol.openinference.OpenInferenceHeaders;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@code infer} answer to the servlet response: JSON streamed straight to the client, or, with binary
 * outputs, the JSON object, its length in {@value OpenInferenceHeaders#HEADER_LENGTH} and the raw bytes.
 */
final class InferResponses {

    private final InferenceResponseWriter writer;

    InferResponses(JsonMapper mapper) {
        this.writer = new InferenceResponseWriter(mapper);
    }

    void write(InferenceRequest request, TensorResult result, HttpServletResponse response) throws IOException {
        Map<String, byte[]> binaries = writer.binaries(request, result);
        response.setStatus(HttpServletResponse.SC_OK);
        if (binaries.isEmpty()) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            try (OutputStream body = response.getOutputStream()) {
                writer.writeJson(body, request.id(), result, binaries);
            }
            return;
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream(1024);
        writer.writeJson(json, request.id(), result, binaries);
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
}
