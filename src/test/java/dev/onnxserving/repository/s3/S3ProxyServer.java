package dev.onnxserving.repository.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy (copied to {@code target/s3proxy} by the build) in a child JVM on a
 * free loopback port, with a filesystem blob store in a temporary folder and AWS signature checking against one test
 * identity. Stopped by {@link #close()}, bounded in time.
 */
final class S3ProxyServer implements AutoCloseable {

    static final String IDENTITY = "onnx-serving-test";
    /** Random per run: a test can search every output for it. */
    static final String CREDENTIAL = "secret-" + UUID.randomUUID();

    private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;
    private final Path blobs;
    private final S3Client client;

    private S3ProxyServer(Process process, int port, Path log, Path blobs) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.blobs = blobs;
        this.client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(credentials(CREDENTIAL))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    static S3ProxyServer start(Path work) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: Maven's process-test-resources phase copies S3Proxy"
                    + " there (./mvnw test-compile)");
        }
        int port = freePort();
        Path blobs = Files.createDirectories(work.resolve("blobs"));
        Path properties = work.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + IDENTITY,
                        "s3proxy.credential=" + CREDENTIAL,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + blobs.toAbsolutePath(),
                        ""));
        Path log = work.resolve("s3proxy.log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        JAR.toAbsolutePath().toString(),
                        "--properties",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("LOG_LEVEL", "warn");
        Process process = builder.start();
        S3ProxyServer server = new S3ProxyServer(process, port, log, blobs);
        server.awaitPort();
        return server;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** The filesystem blob store: {@code <bucket>/<key>}, for changes behind the server's back. */
    Path blobs() {
        return blobs;
    }

    /** A client with the test identity, to set up buckets and objects. */
    S3Client client() {
        return client;
    }

    void put(String bucket, String key, byte[] content) {
        client.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /** The service's own S3 settings for an endpoint (this server's, or a proxy's in front of it). */
    static S3SourceProperties properties(URI endpoint, Duration readTimeout, Duration callTimeout) {
        return new S3SourceProperties(endpoint, "us-east-1", true, Duration.ofSeconds(2), readTimeout, callTimeout);
    }

    static StaticCredentialsProvider credentials(String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, secret));
    }

    private void awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Proxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not open port " + port + " within " + START_TIMEOUT);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
