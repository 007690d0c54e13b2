package dev.onnxserving.repository.s3;

import static dev.onnxserving.repository.s3.S3ModelSourceTests.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What goes wrong between the service and a real S3-compatible server, each mapped to its reason: the server down,
 * refused credentials, a server that stops sending, a connection dropped or a byte flipped mid-download (through a
 * loopback relay in front of S3Proxy), an object altered behind the server's back.
 */
class S3FaultTests {

    private static final String BUCKET = "faults";
    private static final String MODEL = "s3://faults/repo/iris";
    /** The timeouts of the clients that are meant to time out. */
    private static final Duration SHORT_READ_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration SHORT_CALL_TIMEOUT = Duration.ofSeconds(4);
    /** The timeouts of the others: a busy machine never makes them time out. */
    private static final Duration PATIENT = Duration.ofSeconds(30);
    /** Well above both timeouts, well below a hang. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    private static final byte[] LARGE = new byte[3 * 1024 * 1024];

    @TempDir
    static Path work;

    static S3ProxyServer server;
    static SourceFile large;

    @BeforeAll
    static void publish() throws Exception {
        server = S3ProxyServer.start(work);
        server.client().createBucket(request -> request.bucket(BUCKET));
        server.put(BUCKET, "repo/iris/model.yaml", S3ModelSourceTests.bytes("name: iris\n"));
        new Random(7).nextBytes(LARGE);
        server.put(BUCKET, "repo/iris/1/model.onnx", LARGE);
        try (S3Client client = client(server.endpoint(), S3ProxyServer.credentials(S3ProxyServer.CREDENTIAL))) {
            large = source(client).version(1).files().get(0);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServerThatIsDownIsUnreachableAtOnce() throws Exception {
        URI nothingListens = URI.create("http://127.0.0.1:" + S3ProxyServer.freePort());
        try (S3Client client = client(nothingListens, S3ProxyServer.credentials(S3ProxyServer.CREDENTIAL))) {
            assertTimeoutPreemptively(
                    BOUND, () -> assertReason(() -> source(client).list(), Reason.UNREACHABLE, MODEL));
        }
    }

    @Test
    void refusedCredentialsAreUnauthorizedAndTheSecretIsShownNowhere() {
        String wrongSecret = "wrong-" + S3ProxyServer.CREDENTIAL;
        StaticCredentialsProvider unknownIdentity =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", S3ProxyServer.CREDENTIAL));
        for (AwsCredentialsProvider credentials :
                new AwsCredentialsProvider[] {S3ProxyServer.credentials(wrongSecret), unknownIdentity}) {
            try (S3Client client = client(server.endpoint(), credentials)) {
                ModelSource iris = source(client);
                S3SourceFactory factory = new S3SourceFactory(() -> client);
                Runnable[] calls = {
                    iris::list,
                    () -> iris.version(1),
                    () -> iris.fetch(large, work.resolve("refused.onnx")),
                    () -> factory.models(URI.create("s3://faults/repo"))
                };
                for (Runnable call : calls) {
                    SourceException failure = catchSourceException(call);
                    assertThat(failure.reason()).isEqualTo(Reason.UNAUTHORIZED);
                    assertThat(failure).hasMessageContaining("refused the credentials");
                    assertThat(everythingShown(failure))
                            .doesNotContain(S3ProxyServer.CREDENTIAL)
                            .doesNotContain(wrongSecret);
                }
            }
        }
    }

    @Test
    void aServerThatStopsAnsweringTimesOutWithinTheConfiguredBound() throws Exception {
        try (FaultProxy silent = new FaultProxy(server.port(), FaultProxy.Fault.stallAfter(0));
                S3Client client = impatientClient(silent.endpoint())) {
            assertTimeoutPreemptively(
                    BOUND, () -> assertReason(() -> source(client).list(), Reason.TIMEOUT, MODEL));
        }
    }

    @Test
    void aDownloadThatStopsMidwayTimesOutWithinTheConfiguredBound() throws Exception {
        try (FaultProxy stalling = new FaultProxy(server.port(), FaultProxy.Fault.stallAfter(200_000));
                S3Client client = impatientClient(stalling.endpoint())) {
            assertTimeoutPreemptively(
                    BOUND,
                    () -> assertReason(
                            () -> source(client).fetch(large, work.resolve("stalled.onnx")),
                            Reason.TIMEOUT,
                            "repo/iris/1/model.onnx"));
        }
    }

    @Test
    void aConnectionDroppedMidDownloadFailsInsteadOfEndingShort() throws Exception {
        try (FaultProxy cutting = new FaultProxy(server.port(), FaultProxy.Fault.cutAfter(1_000_000));
                S3Client client = client(cutting.endpoint(), S3ProxyServer.credentials(S3ProxyServer.CREDENTIAL))) {
            SourceException failure =
                    catchSourceException(() -> source(client).fetch(large, work.resolve("dropped.onnx")));

            assertThat(failure.reason()).isIn(Reason.CORRUPT, Reason.UNREACHABLE);
            assertThat(failure).hasMessageContaining("repo/iris/1/model.onnx");
        }
    }

    @Test
    void aFlippedByteIsCorrupt() throws Exception {
        try (FaultProxy flipping = new FaultProxy(server.port(), FaultProxy.Fault.flipAt(1_500_000));
                S3Client client = client(flipping.endpoint(), S3ProxyServer.credentials(S3ProxyServer.CREDENTIAL))) {
            assertReason(() -> source(client).fetch(large, work.resolve("flipped.onnx")), Reason.CORRUPT, "MD5");
        }
    }

    @Test
    void anObjectAlteredBehindTheServersBackIsCorrupt() throws Exception {
        server.put(BUCKET, "repo/altered/1/model.onnx", LARGE);
        try (S3Client client = client(server.endpoint(), S3ProxyServer.credentials(S3ProxyServer.CREDENTIAL))) {
            ModelSource altered = new S3ModelSource(client, S3Location.parse(URI.create("s3://faults/repo/altered")));
            SourceFile listed = altered.version(1).files().get(0);
            byte[] otherBytes = LARGE.clone();
            otherBytes[12_345] ^= 1;
            Files.write(server.blobs().resolve(BUCKET + "/repo/altered/1/model.onnx"), otherBytes);

            assertThatThrownBy(() -> altered.fetch(listed, work.resolve("altered.onnx")))
                    .isInstanceOfSatisfying(
                            SourceException.class,
                            failure -> assertThat(failure.reason()).isEqualTo(Reason.CORRUPT));
        }
    }

    private static S3Client client(URI endpoint, AwsCredentialsProvider credentials) {
        return S3Clients.create(S3ProxyServer.properties(endpoint, PATIENT, PATIENT), credentials);
    }

    private static S3Client impatientClient(URI endpoint) {
        return S3Clients.create(
                S3ProxyServer.properties(endpoint, SHORT_READ_TIMEOUT, SHORT_CALL_TIMEOUT),
                S3ProxyServer.credentials(S3ProxyServer.CREDENTIAL));
    }

    private static ModelSource source(S3Client client) {
        return new S3ModelSource(client, S3Location.parse(URI.create(MODEL)));
    }

    private static SourceException catchSourceException(Runnable call) {
        try {
            call.run();
        } catch (SourceException failure) {
            return failure;
        }
        throw new AssertionError("no SourceException");
    }

    /** The message, toString and stack trace of a failure and all its causes. */
    private static String everythingShown(Throwable failure) {
        StringWriter shown = new StringWriter();
        failure.printStackTrace(new PrintWriter(shown));
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            shown.append(cause.toString()).append(String.valueOf(cause.getMessage()));
        }
        return shown.toString();
    }
}
