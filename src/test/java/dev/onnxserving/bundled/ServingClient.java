package dev.onnxserving.bundled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A client for the service under test on 127.0.0.1, with a deadline on every call. */
final class ServingClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** An answer: status, content type and the body parsed as JSON. */
    record Answer(int status, String contentType, String text) {
        JsonNode json() {
            return JSON.readTree(text);
        }

        /** The problem detail of an error answer. */
        String detail() {
            return json().path("detail").asString();
        }
    }

    /** One part of a multipart body; {@code fileName} null for a plain form field. */
    record Part(String name, String fileName, String contentType, byte[] content) {
        static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, "application/octet-stream", content);
        }

        static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ServingClient(int port) {
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

    Answer postJson(String path, String body) {
        return postJson(path, body.getBytes(StandardCharsets.UTF_8));
    }

    Answer postJson(String path, byte[] body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    Answer postMultipart(String path, List<Part> parts) {
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

    Answer postRaw(String path, String contentType, byte[] body) {
        return send(request(path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
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

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
