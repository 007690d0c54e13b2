package dev.onnxserving.repository.oci;

import static dev.onnxserving.repository.oci.OciTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.onnxserving.repository.source.SourceFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that redirects blob downloads to its storage, as registries on object storage do: the download follows
 * the redirect, and the registry's credentials go to the registry only, never to the storage.
 */
class BlobRedirectTests {

    private static final byte[] BLOB = bytes("weights in storage");

    @TempDir
    Path folder;

    private final List<Optional<String>> registryAuthorizations = new CopyOnWriteArrayList<>();
    private final List<Optional<String>> storageAuthorizations = new CopyOnWriteArrayList<>();
    private HttpServer registry;
    private HttpServer storage;

    @BeforeEach
    void start() throws IOException {
        storage = server();
        storage.createContext("/bucket/blob", exchange -> {
            storageAuthorizations.add(authorization(exchange));
            answer(exchange, 200, BLOB);
        });
        registry = server();
        registry.createContext("/v2/team/iris/blobs/", exchange -> {
            registryAuthorizations.add(authorization(exchange));
            if (authorization(exchange).isEmpty()) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
                answer(exchange, 401, new byte[0]);
                return;
            }
            exchange.getResponseHeaders().add("Location", "http://" + address(storage) + "/bucket/blob?signed=1");
            answer(exchange, 307, new byte[0]);
        });
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        storage.stop(0);
    }

    private static HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        return server;
    }

    private static String address(HttpServer server) {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static Optional<String> authorization(HttpExchange exchange) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Test
    void theDownloadFollowsTheRedirectWithoutTheRegistrysCredentials() throws Exception {
        OciProperties properties = new OciProperties(
                List.of(address(registry), address(storage)),
                folder.resolve("none.json"),
                "puller",
                "pw",
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        OciSourceFactory factory = new OciSourceFactory(properties);
        String digest = TestPublisher.sha256(BLOB);
        Path target = folder.resolve("model.onnx");

        factory.model(URI.create("oci://" + address(registry) + "/team/iris"))
                .fetch(new SourceFile("model.onnx", BLOB.length, digest, digest), target);
        factory.destroy();

        assertThat(target).hasBinaryContent(BLOB);
        assertThat(registryAuthorizations)
                .containsExactly(Optional.empty(), Optional.of(OciBasicAuthTests.basic("puller", "pw")));
        assertThat(storageAuthorizations).containsExactly(Optional.empty());
    }
}
