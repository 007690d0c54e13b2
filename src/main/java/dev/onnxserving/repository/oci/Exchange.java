package dev.onnxserving.repository.oci;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Sends one request with the read timeout on its headers and on every read of its body, and turns a transport
 * failure into a {@link dev.onnxserving.repository.source.SourceException}. Redirects are not followed here.
 */
final class Exchange {

    private final HttpClient http;
    private final Duration readTimeout;
    private final List<String> plainHttp;

    Exchange(HttpClient http, Duration readTimeout, List<String> plainHttp) {
        this.http = http;
        this.readTimeout = readTimeout;
        this.plainHttp = plainHttp;
    }

    /** The registry's base address: {@code http://} for the configured plain-HTTP registries, else {@code https://}. */
    URI base(String registry) {
        return URI.create((isPlainHttp(registry) ? "http://" : "https://") + registry);
    }

    boolean isPlainHttp(String authority) {
        return plainHttp.stream().anyMatch(host -> host.equalsIgnoreCase(authority));
    }

    RegistryResponse send(HttpRequest.Builder request, String what) {
        HttpRequest built = request.timeout(readTimeout).build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofPublisher());
        } catch (IOException e) {
            throw Failures.of(e, what);
        } catch (InterruptedException e) {
            throw Failures.interrupted(what);
        }
        return new RegistryResponse(
                response.statusCode(),
                built.uri(),
                response.headers(),
                TimedBodyStream.of(response.body(), readTimeout));
    }
}
