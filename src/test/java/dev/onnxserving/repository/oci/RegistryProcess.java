package dev.onnxserving.repository.oci;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real registry for the tests: Debian's {@code docker-registry} (distribution 2.8) as a child process on a free
 * loopback port, with filesystem storage in a test folder and the authentication the test asks for.
 */
final class RegistryProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration START_BOUND = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path storage;
    private final Path log;

    private RegistryProcess(Process process, int port, Path storage, Path log) {
        this.process = process;
        this.port = port;
        this.storage = storage;
        this.log = log;
    }

    /** Skips the test where the registry is not installed, but fails it under CI, whose .ci/run installs it. */
    static void assumeInstalled() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(BINARY + " is missing: .ci/run installs Debian's docker-registry package, the OCI tests need it");
        }
        Assumptions.abort(BINARY + " is not installed (apt-get install docker-registry): the OCI registry tests skip");
    }

    /** Starts a registry; {@code auth} is the YAML of its {@code auth:} section's content, or empty for none. */
    static RegistryProcess start(Path folder, String auth) throws Exception {
        assumeInstalled();
        int port = freePort();
        Path storage = Files.createDirectories(folder.resolve("storage"));
        Path config = folder.resolve("config.yml");
        String yaml = "version: 0.1\n"
                + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: onnx-serving-tests\n"
                + (auth.isEmpty() ? "" : "auth:\n" + auth.indent(2));
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        Path log = folder.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RegistryProcess registry = new RegistryProcess(process, port, storage, log);
        registry.awaitReady();
        return registry;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("docker-registry exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        fail("docker-registry did not answer /v2/ within " + START_BOUND + ": " + Files.readString(log));
    }

    /** {@code 127.0.0.1:<port>}, as a location names it. */
    String address() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Where the registry keeps a blob's bytes on disk. */
    Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage.resolve("docker/registry/v2/blobs/sha256")
                .resolve(hex.substring(0, 2))
                .resolve(hex)
                .resolve("data");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
