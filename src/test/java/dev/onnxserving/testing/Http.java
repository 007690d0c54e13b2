package dev.onnxserving.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the server under test on 127.0.0.1 only, with a timeout on every request. Thread-safe. */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String IRIS_BODY =
            "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}]}";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final int port;

    public Http(int port) {
        this.port = port;
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

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT);
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
