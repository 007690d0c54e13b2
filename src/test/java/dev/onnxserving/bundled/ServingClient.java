package dev.onnxserving.bundled;

import dev.onnxserving.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Requests the media tests send through {@link Http}: instance bodies, multipart uploads, a head-only POST. */
final class ServingClient {

    static final JsonMapper JSON = Http.JSON;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One part of a multipart body; {@code fileName} null for a plain form field. */
    record Part(String name, String fileName, String contentType, byte[] content) {
        static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, "application/octet-stream", content);
        }

        static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Http http;
    private final int port;

    ServingClient(int port) {
        this.http = new Http(port);
        this.port = port;
    }

    /** {@code {"instances": [...]}} with the given instances. */
    static String instances(List<?> instances) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode array = body.putArray("instances");
        instances.forEach(instance -> array.add(JSON.valueToTree(instance)));
        return JSON.writeValueAsString(body);
    }

    /** An image instance, {@code {"b64": ...}}. */
    static ObjectNode b64(byte[] file) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("b64", Base64.getEncoder().encodeToString(file));
    }

    Http.Response postJson(String path, String body) {
        return http.postJson(path, body);
    }

    Http.Response postJson(String path, byte[] body) {
        return postRaw(path, "application/json", body);
    }

    Http.Response postMultipart(String path, List<Part> parts) {
        String boundary = "test-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--" + boundary + "\r\n");
            head.append("Content-Disposition: form-data; name=\"")
                    .append(part.name())
                    .append('"');
            if (part.fileName() != null) {
                head.append("; filename=\"").append(part.fileName()).append('"');
            }
            head.append("\r\n");
            if (part.contentType() != null) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            head.append("\r\n");
            body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return postRaw(path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    Http.Response postRaw(String path, String contentType, byte[] body) {
        return http.post(path, body, Map.of("Content-Type", contentType));
    }

    /**
     * Sends only the head of a POST that declares a {@code Content-Length} of {@code declaredLength} bytes, and reads
     * the raw (chunked) answer up to its last chunk. For limits the server enforces from the headers alone:
     * sending a real oversized body would race the server's close (it resets a connection with unread data).
     */
    String postHeadOnly(String path, String contentType, long declaredLength) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + declaredLength + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            InputStream input = socket.getInputStream();
            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                answer.write(buffer, 0, read);
                if (answer.toString(StandardCharsets.UTF_8).contains("\r\n0\r\n\r\n")) {
                    break;
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
