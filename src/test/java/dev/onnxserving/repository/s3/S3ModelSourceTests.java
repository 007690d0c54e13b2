package dev.onnxserving.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceFile;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Listing, version digests and verified downloads against a real S3-compatible server (S3Proxy in its own JVM). */
class S3ModelSourceTests {

    private static final String BUCKET = "models";
    private static final int MANY_VERSIONS = 2_500;
    private static final byte[] LARGE = new byte[3 * 1024 * 1024 + 17];

    @TempDir
    static Path work;

    static S3ProxyServer server;
    static S3Client client;
    static S3SourceFactory factory;

    @BeforeAll
    static void publish() throws Exception {
        server = S3ProxyServer.start(work);
        server.client().createBucket(request -> request.bucket(BUCKET));
        server.put(BUCKET, "repo/iris/model.yaml", bytes("name: iris\n"));
        server.put(BUCKET, "repo/iris/labels.txt", bytes("setosa\nversicolor\nvirginica\n"));
        server.put(BUCKET, "repo/iris/1/model.onnx", bytes("version one"));
        server.put(BUCKET, "repo/iris/2/model.onnx", bytes("version two"));
        server.put(BUCKET, "repo/iris/2/assets/vocab.txt", bytes("a\nb\n"));
        server.put(BUCKET, "repo/iris/notes/readme.txt", bytes("not a version"));
        server.put(BUCKET, "repo/iris/01/model.onnx", bytes("a leading zero is not a version"));
        server.put(BUCKET, "repo/iris/0/model.onnx", bytes("zero is not a version"));
        server.put(BUCKET, "repo/.hidden/1/model.onnx", bytes("hidden"));
        new Random(12).nextBytes(LARGE);
        server.put(BUCKET, "repo/large/1/model.onnx", LARGE);
        publishManyVersions();
        client = S3Clients.create(
                S3ProxyServer.properties(server.endpoint(), Duration.ofSeconds(10), Duration.ofSeconds(30)),
                S3ProxyServer.credentials(S3ProxyServer.CREDENTIAL));
        factory = new S3SourceFactory(() -> client);
    }

    /**
     * More versions than one listing page holds (1,000): only a paginated listing sees them all. Written straight into
     * the server's filesystem blob store (thousands of uploads would take a minute); S3Proxy lists them as it lists
     * uploaded objects.
     */
    private static void publishManyVersions() throws Exception {
        for (int version = 1; version <= MANY_VERSIONS; version++) {
            Path folder = Files.createDirectories(server.blobs().resolve(BUCKET + "/repo/many/" + version));
            Files.write(folder.resolve("model.onnx"), new byte[] {1});
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (factory != null) {
            factory.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listsTheModelsOwnFilesAndItsVersionNumbersOnly() throws Exception {
        ModelSource iris = model("repo/iris");

        SourceListing listing = iris.list();

        assertThat(iris.location()).isEqualTo("s3://models/repo/iris");
        assertThat(listing.versions()).containsExactly(1L, 2L);
        assertThat(listing.modelFiles()).extracting(SourceFile::path).containsExactly("labels.txt", "model.yaml");
        SourceFile yaml = listing.modelFiles().get(1);
        assertThat(yaml.size()).isEqualTo("name: iris\n".length());
        assertThat(yaml.digest()).isEqualTo("etag:" + md5("name: iris\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(yaml.locator()).isEqualTo("repo/iris/model.yaml");
    }

    @Test
    void listsThousandsOfVersionsAcrossListingPages() {
        assertThat(model("repo/many").list().versions())
                .hasSize(MANY_VERSIONS)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, MANY_VERSIONS).boxed().toList());
    }

    @Test
    void aVersionHoldsEveryFileBelowItsFolder() {
        SourceVersion two = model("repo/iris").version(2);

        assertThat(two.number()).isEqualTo(2);
        assertThat(two.files()).extracting(SourceFile::path).containsExactly("assets/vocab.txt", "model.onnx");
        assertThat(two.files()).extracting(SourceFile::size).containsExactly(4L, 11L);
        assertThat(two.digest()).startsWith("sha256:").hasSize("sha256:".length() + 64);
    }

    @Test
    void versionDigestsAreStableAndFollowTheContent() {
        ModelSource iris = model("repo/iris");
        server.put(BUCKET, "repo/changing/1/model.onnx", bytes("first content"));
        ModelSource changing = model("repo/changing");

        String before = changing.version(1).digest();
        assertThat(changing.version(1).digest()).isEqualTo(before);
        assertThat(iris.version(1).digest()).isNotEqualTo(iris.version(2).digest());

        server.put(BUCKET, "repo/changing/1/model.onnx", bytes("other content"));
        String rewritten = changing.version(1).digest();
        server.put(BUCKET, "repo/changing/1/extra.txt", bytes("x"));

        assertThat(rewritten).isNotEqualTo(before);
        assertThat(changing.version(1).digest()).isNotEqualTo(rewritten);
    }

    @Test
    void fetchStreamsAFileToDiskAndReplacesWhatWasThere() throws Exception {
        ModelSource large = model("repo/large");
        SourceFile onnx = large.version(1).files().get(0);
        Path target = work.resolve("large.onnx");
        Files.writeString(target, "an older, longer download ".repeat(200_000));

        large.fetch(onnx, target);

        assertThat(Files.size(target)).isEqualTo(LARGE.length);
        assertThat(md5(Files.readAllBytes(target))).isEqualTo(md5(LARGE));
    }

    @Test
    void anObjectReplacedSinceItWasListedIsCorrupt() throws Exception {
        server.put(BUCKET, "repo/replaced/1/model.onnx", bytes("as listed"));
        ModelSource replaced = model("repo/replaced");
        SourceFile listed = replaced.version(1).files().get(0);
        server.put(BUCKET, "repo/replaced/1/model.onnx", bytes("as stored"));

        assertThatThrownBy(() -> replaced.fetch(listed, work.resolve("replaced.onnx")))
                .isInstanceOfSatisfying(
                        SourceException.class,
                        failure -> assertThat(failure.reason()).isEqualTo(SourceException.Reason.CORRUPT))
                .hasMessageContaining("changed since it was listed");
    }

    @Test
    void listsTheModelsOfARepositoryWithoutHiddenFolders() {
        assertThat(factory.models(URI.create("s3://models/repo")))
                .contains("iris", "large", "many")
                .doesNotContain(".hidden", "");
        assertThat(factory.models(URI.create("s3://models"))).containsExactly("repo");
    }

    @Test
    void whatIsNotThereIsNotFound() throws Exception {
        ModelSource iris = model("repo/iris");
        SourceFile gone = new SourceFile("model.onnx", 3, "etag:" + md5(new byte[3]), "repo/iris/7/model.onnx");

        assertReason(() -> iris.version(7), SourceException.Reason.NOT_FOUND, "version 7 not found");
        assertReason(() -> model("repo/absent").list(), SourceException.Reason.NOT_FOUND, "s3://models/repo/absent");
        assertReason(
                () -> factory.model(URI.create("s3://no-such-bucket/iris")).list(),
                SourceException.Reason.NOT_FOUND,
                "s3://no-such-bucket/iris");
        assertReason(
                () -> factory.models(URI.create("s3://no-such-bucket/repo")),
                SourceException.Reason.NOT_FOUND,
                "s3://no-such-bucket/repo");
        assertReason(() -> iris.fetch(gone, work.resolve("gone")), SourceException.Reason.NOT_FOUND, "7/model.onnx");
    }

    static void assertReason(Runnable call, SourceException.Reason reason, String mentioned) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        SourceException.class,
                        failure -> assertThat(failure.reason()).isEqualTo(reason))
                .hasMessageContaining(mentioned);
    }

    private static ModelSource model(String key) {
        return factory.model(URI.create("s3://" + BUCKET + "/" + key));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }
}
