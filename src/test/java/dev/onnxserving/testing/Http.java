package dev.onnxserving.testing;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one HTTP client of the tests: HTTP/1.1 to the server under test on 127.0.0.1 only, with a timeout on every
 * request; JSON, raw, multipart and head-only requests. Thread-safe.
 */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String IRIS_BODY =
            "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}]}";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final int port;
    private final Duration timeout;

    public Http(int port) {
        this(port, DEFAULT_TIMEOUT);
    }

    /** @param timeout how long each request may take, from sending to the end of the answer */
    public Http(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    /** A response with its body as bytes, and helpers to read it as text or JSON. */
    public record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        /** The {@code detail} of a problem answer. */
        public String detail() {
            return json().path("detail").asString();
        }
    }

    /** One part of a multipart body; {@code fileName} null for a plain form field. */
    public record Part(String name, String fileName, String contentType, byte[] content) {
        public static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, "application/octet-stream", content);
        }

        public static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code {"instances": [...]}} with the given instances. */
    public static String instances(List<?> instances) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode array = body.putArray("instances");
        instances.forEach(instance -> array.add(JSON.valueToTree(instance)));
        return JSON.writeValueAsString(body);
    }

    /** @param headers name, value, name, value ... */
    public Response get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public Response postJson(String path, String json) {
        return post(path, json);
    }

    public Response postJson(String path, Object body) {
        return post(path, JSON.writeValueAsString(body));
    }

    /** Bytes sent as they are with {@code Content-Type: application/json} (for bodies that are not UTF-8). */
    public Response postJson(String path, byte[] body) {
        return postBytes(path, "application/json", body);
    }

    public Response postBytes(String path, String contentType, byte[] body) {
        return post(path, body, Map.of("Content-Type", contentType));
    }

    public Response postMultipart(String path, List<Part> parts) {
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
        return postBytes(path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    /**
     * @param json the body, sent as {@code application/json}; {@code null} sends no body
     * @param headers name, value, name, value ...
     */
    public Response post(String path, String json, String... headers) {
        HttpRequest.Builder request = request(path, headers);
        if (json == null) {
            return send(request.POST(HttpRequest.BodyPublishers.noBody()));
        }
        return send(request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, byte[] body, Map<String, String> headers) {
        return post(path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    public Response post(String path, HttpRequest.BodyPublisher body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).POST(body);
        headers.forEach(request::header);
        return send(request);
    }

    public Response put(String path, String json, String... headers) {
        return send(request(path, headers)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A raw path, sent as it is (for paths with dot segments or encoded characters), without a body. */
    public Response postRaw(String rawPath, String... headers) {
        return send(request(rawPath, headers).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Sends only the head of a POST that declares a {@code Content-Length} of {@code declaredLength} bytes, and reads
     * the raw (chunked) answer up to its last chunk. For limits the server enforces from the headers alone:
     * sending a real oversized body would race the server's close (it resets a connection with unread data).
     */
    public String postHeadOnly(String path, String contentType, long declaredLength) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout((int) timeout.toMillis());
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

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
