package dev.onnxserving.repository.oci;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * One answer of a registry or its token service: status, headers and a body that is read with the read timeout.
 * Closing it releases the connection.
 */
record RegistryResponse(int status, URI uri, HttpHeaders headers, TimedBodyStream body) implements AutoCloseable {

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    boolean isRedirect() {
        return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                && header("location").isPresent();
    }

    byte[] bytes(int limit) throws IOException {
        try (this) {
            return body.readAtMost(limit);
        }
    }

    @Override
    public void close() {
        body.close();
    }
}
